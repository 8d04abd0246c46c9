import PublicaCore

/// Writes records into a spill file through one large buffer, so the file sees a few big
/// writes rather than one per record.
struct SpillWriter {
    let file: SpillFile
    private var buffer: [UInt8] = []
    private var encoder = RecordSpill.Encoder()
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

    /// Adds one record: its length, then its encoding.
    mutating func write(_ record: Record) throws {
        encoder.bytes.removeAll(keepingCapacity: true)
        encoder.record(record)
        RecordSpill.Encoder.varint(UInt64(encoder.bytes.count), into: &buffer)
        buffer.append(contentsOf: encoder.bytes)
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
