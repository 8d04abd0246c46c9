import PublicaCore

/// The hot write path: a large buffer filled through raw pointers, flushed with one `write(2)`.
///
/// A struct so that writers keep it in registers; only the flush (cold) touches the
/// ``OutputFile`` class. Reserve the worst case for a record, write, then commit the count.
public struct OutputBuffer {
    /// The file the bytes go to; it owns the buffer's memory.
    public let file: OutputFile
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    @usableFromInline var count = 0

    /// A buffer over `file`'s own memory, empty.
    public init(file: OutputFile) {
        self.file = file
        base = file.buffer
        capacity = file.bufferCapacity
    }

    /// A pointer with room for `bytes` bytes at the end of the buffered output.
    @inlinable @inline(__always)
    public mutating func reserve(_ bytes: Int) throws -> UnsafeMutablePointer<UInt8> {
        if count &+ bytes > capacity { try makeRoom(bytes) }
        return base + count
    }

    /// The room after the buffered output (at least what the last reservation asked for).
    public var available: Int { capacity &- count }

    /// Marks `bytes` bytes after the last reservation's start as written.
    @inlinable @inline(__always)
    public mutating func commit(_ bytes: Int) { count &+= bytes }

    /// Appends bytes.
    @inlinable
    public mutating func append(_ bytes: UnsafeRawBufferPointer) throws {
        let destination = try reserve(bytes.count)
        if let source = bytes.baseAddress {
            destination.update(from: source.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        }
        commit(bytes.count)
    }

    /// Appends bytes.
    public mutating func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append($0) }
    }

    /// Appends a string's UTF-8.
    public mutating func append(_ text: String) throws {
        var text = text
        try text.withUTF8 { try append(UnsafeRawBufferPointer($0)) }
    }

    @usableFromInline @inline(never)
    mutating func makeRoom(_ bytes: Int) throws {
        try flush()
        if count + bytes > capacity {
            file.growBuffer(to: count + bytes, keeping: count)
            base = file.buffer
            capacity = file.bufferCapacity
        }
    }

    /// Writes the buffered bytes to the file, but for a partial block kept back under direct I/O.
    public mutating func flush() throws {
        count = try file.handOff(count: count)
        base = file.buffer
        capacity = file.bufferCapacity
    }

    /// Writes what is left, then syncs and moves the file into place.
    public mutating func commitFile() throws {
        try file.commit(pending: count)
        count = 0
    }
}
