import PublicaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a run's records back in order, a large buffer at a time.
struct SpillReader {
    private let run: SpillRun
    private var buffer: [UInt8]
    private var position = 0
    private var filled = 0
    private var consumed = 0
    /// The source the last record named, for the next one that names it as "the same".
    private var lastSource: String?

    /// A reader of `run` with a buffer of `bufferSize` bytes (grown for a larger record).
    init(_ run: SpillRun, bufferSize: Int) {
        self.run = run
        buffer = [UInt8](repeating: 0, count: max(bufferSize, 64))
    }

    /// The next record, or nil after the run's last.
    mutating func next() throws -> Record? {
        let buffered = try fill(atLeast: 10)
        guard buffered > 0 else { return nil }
        let (header, length) = try buffer.withUnsafeBytes { bytes in
            var decoder = RecordSpill.Decoder(UnsafeRawBufferPointer(rebasing: bytes[position..<(position + buffered)]))
            let length = Int(try decoder.varint())
            return (decoder.position, length)
        }
        guard try fill(atLeast: header + length) >= header + length else { throw RecordSpill.corrupt }
        let (record, source) = try buffer.withUnsafeBytes { [lastSource] bytes in
            var decoder = RecordSpill.Decoder(
                UnsafeRawBufferPointer(rebasing: bytes[(position + header)..<(position + header + length)]),
                lastSource: lastSource)
            return (try decoder.record(), decoder.lastSource)
        }
        lastSource = source
        position += header + length
        return record
    }

    /// Refills the buffer (growing it for a large record) until `count` bytes from `position`
    /// are in it, or the run has no more; returns the bytes buffered.
    private mutating func fill(atLeast count: Int) throws -> Int {
        while filled - position < count && consumed < run.length {
            if position > 0 {
                buffer.withUnsafeMutableBytes { [position, filled] bytes in
                    _ = memmove(bytes.baseAddress!, bytes.baseAddress! + position, filled - position)
                }
                filled -= position
                position = 0
            }
            if buffer.count < count { buffer += [UInt8](repeating: 0, count: count - buffer.count) }
            let want = min(buffer.count - filled, run.length - consumed)
            let got = try buffer.withUnsafeMutableBytes { [filled, consumed] bytes in
                try run.file.read(into: bytes.baseAddress! + filled, count: want, at: run.offset + consumed)
            }
            guard got > 0 else { throw RecordSpill.corrupt }
            filled += got
            consumed += got
        }
        return filled - position
    }
}
