import PublicaCore

/// Decoded UTF-8 bytes with one byte of look-ahead and a line count, for the JSON reader.
final class ByteStream {
    let decoder: TextDecoder
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var position = 0
    private var end = 0
    private var atEOF = false
    /// The 1-based line of the next byte.
    private(set) var line = 1
    /// Bytes since the start of the line, for error columns.
    private(set) var column = 1
    private(set) var mayNeedNormalization = false
    /// Bytes consumed before `buffer[0]`.
    private var consumedBefore = 0
    /// The longest record (top-level value) accepted, checked at each refill (so within a chunk).
    var recordLimit = ReadLimits(maxRecordBytes: .max)
    private var recordStart = 0
    private var recordLine = 1
    /// The source's name, for the size error.
    var sourceName = ""

    init(decoder: TextDecoder, capacity: Int = 1 << 20) {
        self.decoder = decoder
        self.capacity = capacity
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    /// The next byte without consuming it; nil at the end of the input.
    @inline(__always)
    func peek() throws -> UInt8? {
        if position == end { try refill() }
        return position < end ? buffer[position] : nil
    }

    /// Consumes and returns the next byte; nil at the end of the input.
    @inline(__always)
    func next() throws -> UInt8? {
        guard let byte = try peek() else { return nil }
        position += 1
        if byte == 0x0A {
            line += 1
            column = 1
        } else {
            column += 1
        }
        return byte
    }

    /// Marks the start of a record: the size limit counts from here.
    func beginRecord() {
        recordStart = consumedBefore + position
        recordLine = line
    }

    private func refill() throws {
        guard !atEOF else { return }
        try Termination.check()
        consumedBefore += end
        if consumedBefore - recordStart > recordLimit.maxRecordBytes {
            throw recordLimit.recordTooLong(
                "the JSON value starting here",
                at: SourceLocation(file: sourceName, line: recordLine))
        }
        position = 0
        end = 0
        let (count, flag) = try decoder.decode(into: buffer, capacity: capacity)
        if count == 0 {
            if var error = decoder.pendingError {
                error.location?.line = line
                error.location?.column = column
                throw error
            }
            atEOF = true
        }
        end = count
        mayNeedNormalization = mayNeedNormalization || flag
    }
}
