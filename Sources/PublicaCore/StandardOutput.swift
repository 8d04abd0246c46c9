#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes to standard output that fail loudly: `print` drops a write error (a full disk, a
/// closed pipe), so a command whose output was lost would exit 0.
public enum StandardOutput {
    /// Writes `text` and a line break, unbuffered; throws an I/O error (exit 1) naming standard output.
    public static func printLine(_ text: String) throws {
        var bytes = Array(text.utf8)
        bytes.append(0x0A)
        try write(bytes)
    }

    /// Writes every byte of `bytes` to file descriptor 1.
    public static func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(1, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw PublicaError(.io, "cannot write: \(String(cString: strerror(errno)))", at: SourceLocation(file: "standard output"))
            }
            offset += written
        }
    }
}
