#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Blocks of bytes (a key and a payload) held for a sort, in chunks of memory that are never
/// moved or copied as they fill, with one 16-byte entry per block: its key's first eight bytes
/// (most comparisons end there) and where it lies. ``bytes`` is what it holds, exactly. A class,
/// so its memory goes with it on every exit path.
final class BlockArena {
    private struct Entry {
        /// The key's first eight bytes, big-endian, zero-padded.
        var prefix: UInt64
        /// The block's chunk (high 24 bits) and offset in it; rises with insertion order.
        var location: Int
    }

    private let chunkSize: Int
    private var chunks: [UnsafeMutableRawBufferPointer] = []
    private var used = 0
    private var entries: [Entry] = []
    private var spare: [UnsafeMutableRawBufferPointer] = []
    private var chunkBytes = 0

    /// Chunks of `chunkSize` bytes (a larger block gets one of its own).
    init(chunkSize: Int) { self.chunkSize = chunkSize }

    /// Blocks held.
    var count: Int { entries.count }
    /// The memory the blocks take: their chunks and entries (spare chunks, kept for reuse after
    /// ``reset()``, are not counted: the blocks that follow fill them before any new one).
    var bytes: Int { chunkBytes + entries.capacity * MemoryLayout<Entry>.stride }

    /// Copies a block in: two 32-bit lengths, the key, the payload.
    func add(key: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer) {
        let size = 8 + key.count + payload.count
        if chunks.isEmpty || used + size > chunks[chunks.count - 1].count { newChunk(size) }
        let base = chunks[chunks.count - 1].baseAddress! + used
        base.storeBytes(of: UInt32(key.count), as: UInt32.self)
        (base + 4).storeBytes(of: UInt32(payload.count), as: UInt32.self)
        if key.count > 0 { memcpy(base + 8, key.baseAddress!, key.count) }
        if payload.count > 0 { memcpy(base + 8 + key.count, payload.baseAddress!, payload.count) }
        entries.append(Entry(prefix: BlockArena.prefix(key), location: (chunks.count - 1) << 40 | used))
        used += (size + 7) & ~7
    }

    /// Gives every block, ordered by key (ties in insertion order), to `emit`.
    func sorted(_ emit: (_ key: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer) throws -> Void)
        rethrows
    {
        try chunks.withUnsafeBufferPointer { chunks in
            func block(_ location: Int) -> (key: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer) {
                let base = UnsafeRawPointer(chunks[location >> 40].baseAddress! + (location & (1 << 40 - 1)))
                let keyCount = Int(base.loadUnaligned(as: UInt32.self))
                let payloadCount = Int((base + 4).loadUnaligned(as: UInt32.self))
                return (
                    UnsafeRawBufferPointer(start: base + 8, count: keyCount),
                    UnsafeRawBufferPointer(start: base + 8 + keyCount, count: payloadCount)
                )
            }
            entries.sort { a, b in
                if a.prefix != b.prefix { return a.prefix < b.prefix }
                let order = BlockArena.compare(block(a.location).key, block(b.location).key)
                return order != 0 ? order < 0 : a.location < b.location
            }
            for entry in entries {
                let (key, payload) = block(entry.location)
                try emit(key, payload)
            }
        }
    }

    /// Forgets the blocks, keeping the regular chunks for the next ones.
    func reset() {
        entries.removeAll(keepingCapacity: true)
        for chunk in chunks {
            chunkBytes -= chunk.count
            if chunk.count == chunkSize { spare.append(chunk) } else { chunk.deallocate() }
        }
        chunks = []
        used = 0
    }

    /// Lets go of every block and all the memory.
    func removeAll() {
        for chunk in chunks + spare { chunk.deallocate() }
        chunks = []
        spare = []
        entries = []
        chunkBytes = 0
        used = 0
    }

    /// A chunk for a block of `size` bytes: a spare one when it fits, else a new one (counted).
    private func newChunk(_ size: Int) {
        let chunk =
            (size <= chunkSize ? spare.popLast() : nil)
            ?? UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, chunkSize), alignment: 8)
        chunkBytes += chunk.count
        chunks.append(chunk)
        used = 0
    }

    /// `memcmp` order, a shorter key first when it is a prefix of the other.
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = min(a.count, b.count)
        let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
        if order != 0 { return order < 0 ? -1 : 1 }
        return a.count == b.count ? 0 : a.count < b.count ? -1 : 1
    }

    private static func prefix(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var prefix: UInt64 = 0
        for index in 0..<8 { prefix = prefix << 8 | UInt64(index < key.count ? key[index] : 0) }
        return prefix
    }

    deinit { removeAll() }
}
