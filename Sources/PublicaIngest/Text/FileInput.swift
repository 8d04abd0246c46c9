#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PublicaCore

/// A file (or standard input) read with `read(2)` in large chunks.
///
/// Owns its descriptor and closes it in `deinit`. Rejects directories at open time, so a
/// user who names a folder gets an error, not an empty result.
public final class FileInput {
    /// The path as the user gave it (`-` for standard input).
    public let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// Bytes read so far.
    public private(set) var bytesRead = 0

    /// Opens `path` for reading; `-` is standard input.
    public init(path: String) throws {
        self.path = path
        if path == "-" {
            descriptor = 0
            ownsDescriptor = false
            return
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileInput.error(errno, path: path, doing: "cannot open") }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw PublicaError(.io, "is a directory, not a file", at: SourceLocation(file: path))
        }
        descriptor = fd
        ownsDescriptor = true
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Reads up to `capacity` bytes into `buffer`; returns 0 at the end of the file.
    public func read(into buffer: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer, capacity)
            if count >= 0 {
                bytesRead += count
                return count
            }
            if errno == EINTR { continue }
            throw FileInput.error(errno, path: path, doing: "cannot read")
        }
    }

    /// A ``PublicaError`` for a failed system call, with the system's own words.
    static func error(_ code: Int32, path: String, doing action: String) -> PublicaError {
        let reason = String(cString: strerror(code))
        return PublicaError(.io, "\(action): \(reason)", at: SourceLocation(file: path))
    }
}
