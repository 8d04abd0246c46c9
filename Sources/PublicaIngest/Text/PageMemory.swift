#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte buffers that give their memory back to the system when freed.
///
/// A reader's buffer grows by doubling for a long record, up to ``ReadLimits``. With `malloc`,
/// glibc kept the freed smaller blocks (below its 32 MiB mmap threshold) as resident heap: a
/// 64 MiB record cost about 160 MiB. Pages from `mmap` go back on `munmap`, so a growth costs
/// only the old and the new block for the moment of the copy. Elsewhere this is `realloc`.
public enum PageMemory {
    /// `capacity` bytes, uninitialized (on Linux, untouched pages cost nothing).
    public static func allocate(_ capacity: Int) -> UnsafeMutablePointer<UInt8> {
        #if os(Linux)
        guard let pages = mmap(nil, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            pages != MAP_FAILED
        else { fatalError("out of memory (mmap of \(capacity) bytes)") }
        return pages.assumingMemoryBound(to: UInt8.self)
        #else
        guard let block = malloc(capacity) else { fatalError("out of memory (\(capacity) bytes)") }
        return block.assumingMemoryBound(to: UInt8.self)
        #endif
    }

    /// The same bytes in a new block of `newCapacity`; `pointer` is then invalid.
    public static func resize(
        _ pointer: UnsafeMutablePointer<UInt8>, from capacity: Int,
        to newCapacity: Int
    ) -> UnsafeMutablePointer<UInt8> {
        #if os(Linux)
        // A copy (Glibc's module does not export mremap); the old pages go back at once.
        let grown = allocate(newCapacity)
        grown.update(from: pointer, count: min(capacity, newCapacity))
        free(pointer, capacity: capacity)
        return grown
        #else
        guard let block = realloc(pointer, newCapacity) else { fatalError("out of memory (\(newCapacity) bytes)") }
        return block.assumingMemoryBound(to: UInt8.self)
        #endif
    }

    /// Frees a block from ``allocate(_:)`` or ``resize(_:from:to:)`` of `capacity` bytes.
    public static func free(_ pointer: UnsafeMutablePointer<UInt8>, capacity: Int) {
        #if os(Linux)
        munmap(pointer, capacity)
        #else
        Darwin.free(pointer)
        #endif
    }
}
