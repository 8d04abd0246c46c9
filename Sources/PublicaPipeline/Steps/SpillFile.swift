internal import CPublicaSystem
import Foundation
import PublicaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A temporary file records spill into, which has no name while it is open: on Linux it is
/// created unnamed (`O_TMPFILE`); elsewhere it is created under a fresh name with
/// `O_CREAT | O_EXCL | O_NOFOLLOW` and unlinked at once. So it vanishes on every exit path, a
/// thrown error, SIGTERM and `kill -9` included; ``deinit`` closes it.
final class SpillFile {
    let descriptor: Int32
    /// Bytes written so far (the next append's offset).
    private(set) var size = 0
    private let folder: String

    /// A new empty spill file in `folder` (nil: `$TMPDIR`, else `/tmp`).
    init(in folder: String?) throws {
        let folder = folder ?? ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        self.folder = folder
        let unnamed = publica_open_unnamed_rw(folder)
        descriptor = unnamed >= 0 ? unnamed : try SpillFile.openAndUnlink(in: folder)
    }

    private static func openAndUnlink(in folder: String) throws -> Int32 {
        for _ in 0..<16 {
            let path = folder + "/.publica-spill-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
            let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 {
                unlink(path)
                return fd
            }
            guard errno == EEXIST else { throw PublicaError.system(errno, "cannot create a spill file", path: folder) }
        }
        throw PublicaError.system(EEXIST, "cannot create a spill file", path: folder)
    }

    /// Appends `bytes` at the end of the file.
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let wrote = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(size + done))
            if wrote < 0 {
                if errno == EINTR { continue }
                throw PublicaError.system(errno, "cannot write a spill file", path: folder)
            }
            done += wrote
        }
        size += done
    }

    /// Reads up to `count` bytes at `offset` into `buffer`; returns how many were read.
    func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int) throws -> Int {
        while true {
            let got = pread(descriptor, buffer, count, off_t(offset))
            if got >= 0 { return got }
            if errno != EINTR { throw PublicaError.system(errno, "cannot read a spill file", path: folder) }
        }
    }

    deinit { close(descriptor) }
}

/// A stretch of a spill file holding records written in order (a sorted run).
struct SpillRun {
    let file: SpillFile
    let offset: Int
    let length: Int
    let count: Int
}

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

/// Reads a run's records back in order, a large buffer at a time.
struct SpillReader {
    private let run: SpillRun
    private var buffer: [UInt8]
    private var position = 0
    private var filled = 0
    private var consumed = 0

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
        let record = try buffer.withUnsafeBytes { bytes in
            var decoder = RecordSpill.Decoder(
                UnsafeRawBufferPointer(rebasing: bytes[(position + header)..<(position + header + length)]))
            return try decoder.record()
        }
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
