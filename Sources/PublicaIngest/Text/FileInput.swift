import PublicaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file (or standard input) read with `read(2)` in large chunks.
///
/// Owns its descriptor and closes it in `deinit`. Rejects directories at open time, so a
/// user who names a folder gets an error, not an empty result.
public final class FileInput {
    /// The path as the user gave it (`-` for standard input).
    public let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// Not a regular file (a FIFO, a pipe, a terminal): reads may wait for data indefinitely.
    private let isStream: Bool
    /// Bytes read so far.
    public private(set) var bytesRead = 0

    /// Opens `path` for reading; `-` is standard input.
    public init(path: String) throws {
        self.path = path
        var info = stat()
        if path == "-" {
            descriptor = 0
            ownsDescriptor = false
            isStream = fstat(0, &info) != 0 || (info.st_mode & S_IFMT) != S_IFREG
            return
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw PublicaError.system(errno, "cannot open", path: path) }
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw PublicaError(.io, "is a directory, not a file", at: SourceLocation(file: path))
        }
        descriptor = fd
        ownsDescriptor = true
        isStream = (info.st_mode & S_IFMT) != S_IFREG
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Reads up to `capacity` bytes into `buffer`; returns 0 at the end of the file.
    ///
    /// From a stream, waits for data in short polls and throws if a termination signal arrives
    /// meanwhile (see ``Termination``), so a stalled producer cannot keep a run from stopping.
    public func read(into buffer: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
        if isStream { try waitForData() }
        while true {
            let count = Glibc.read(descriptor, buffer, capacity)
            if count >= 0 {
                bytesRead += count
                return count
            }
            if errno == EINTR { continue }
            throw PublicaError.system(errno, "cannot read", path: path)
        }
    }

    /// Returns when the stream has data, an end or an error to report.
    private func waitForData() throws {
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            try Termination.check()
            let ready = poll(&request, 1, 200)
            if ready > 0 || (ready < 0 && errno != EINTR) { return }  // read(2) reports what poll saw
        }
    }

    /// The whole of a small file (a pipeline file, a profile), refused past `limit` bytes so a
    /// wrong path (a huge data file, a device) cannot eat memory. Our own reader, not
    /// Foundation's, which leaked a buffer on empty files (found by the pipeline fuzzer).
    public static func readAll(path: String, limit: Int) throws -> [UInt8] {
        let input = try FileInput(path: path)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try input.read(into: $0.baseAddress!, capacity: $0.count) }
            if count == 0 { return bytes }
            guard bytes.count + count <= limit else {
                throw PublicaError(
                    .usage, "over \(limit >> 10) KiB: too large for this kind of file", at: SourceLocation(file: path))
            }
            bytes.append(contentsOf: chunk[..<count])
        }
    }
}
