import PublicaCore

/// Writes blocks (a key and a payload) into a spill file through one large buffer, so the file
/// sees a few big writes rather than one per block.
struct SpillWriter {
    let file: SpillFile
    private var buffer: [UInt8] = []
    private let bufferSize: Int
    private let start: Int
    private var count = 0

    /// A writer appending to `file` with a buffer of about `bufferSize` bytes.
    init(file: SpillFile, bufferSize: Int) {
        self.file = file
        self.bufferSize = bufferSize
        start = file.size
        buffer.reserveCapacity(bufferSize)
    }

    /// Adds one block: the key's and the payload's lengths (varints), then their bytes.
    mutating func write(key: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer) throws {
        RecordSpill.Encoder.varint(UInt64(key.count), into: &buffer)
        RecordSpill.Encoder.varint(UInt64(payload.count), into: &buffer)
        buffer.append(contentsOf: key)
        buffer.append(contentsOf: payload)
        count += 1
        if buffer.count >= bufferSize { try flush() }
    }

    private mutating func flush() throws {
        try buffer.withUnsafeBytes { try file.append($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered; the run written since the writer began.
    mutating func finish() throws -> SpillRun {
        try flush()
        return SpillRun(file: file, offset: start, length: file.size - start, count: count)
    }
}
