import PublicaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a run's blocks back in order, a large buffer at a time. A class owning its buffer,
/// so the bytes of the block it last gave stay where they are until its next call.
final class SpillReader {
    private let run: SpillRun
    private var buffer: UnsafeMutableRawBufferPointer
    private var position = 0
    private var filled = 0
    private var consumed = 0

    /// A reader of `run` with a buffer of `bufferSize` bytes (grown for a larger block).
    init(_ run: SpillRun, bufferSize: Int) {
        self.run = run
        buffer = .allocate(byteCount: max(bufferSize, 64), alignment: 8)
    }

    deinit { buffer.deallocate() }

    /// The next block's key and payload (valid until the next call), or nil after the run's last.
    func next() throws -> (key: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer)? {
        let buffered = try fill(atLeast: 20)
        guard buffered > 0 else { return nil }
        var decoder = RecordSpill.Decoder(UnsafeRawBufferPointer(rebasing: buffer[position..<(position + buffered)]))
        let keyCount = Int(truncatingIfNeeded: try decoder.varint())
        let payloadCount = Int(truncatingIfNeeded: try decoder.varint())
        let header = decoder.position
        guard keyCount >= 0, payloadCount >= 0, keyCount <= run.length, payloadCount <= run.length else {
            throw RecordSpill.corrupt
        }
        let total = header + keyCount + payloadCount
        guard try fill(atLeast: total) >= total else { throw RecordSpill.corrupt }
        let start = UnsafeRawPointer(buffer.baseAddress! + position + header)
        position += total
        return (
            UnsafeRawBufferPointer(start: start, count: keyCount),
            UnsafeRawBufferPointer(start: start + keyCount, count: payloadCount)
        )
    }

    /// Refills the buffer (growing it for a large block) until `count` bytes from `position`
    /// are in it, or the run has no more; returns the bytes buffered.
    private func fill(atLeast count: Int) throws -> Int {
        while filled - position < count && consumed < run.length {
            if position > 0 {
                _ = memmove(buffer.baseAddress!, buffer.baseAddress! + position, filled - position)
                filled -= position
                position = 0
            }
            if buffer.count < count {
                let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 8)
                larger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: filled)
                buffer.deallocate()
                buffer = larger
            }
            let want = min(buffer.count - filled, run.length - consumed)
            let got = try run.file.read(into: buffer.baseAddress! + filled, count: want, at: run.offset + consumed)
            guard got > 0 else { throw RecordSpill.corrupt }
            filled += got
            consumed += got
        }
        return filled - position
    }
}
