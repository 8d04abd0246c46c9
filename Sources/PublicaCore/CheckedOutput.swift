internal import CPublicaSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered writes to a file descriptor (standard output by default), every one checked: a
/// full disk or a closed pipe is an error naming the output and the system's reason (exit 1),
/// not a report silently cut short, as `print` would leave it.
public final class CheckedOutput {
    private let descriptor: Int32
    private let name: String
    private var buffer: [UInt8] = []
    private static let capacity = 1 << 16

    /// Writes to `fileDescriptor`, which stays open; `name` is how errors call it. Nothing goes out
    /// until the 64 KiB buffer fills or ``flush()`` is called.
    public init(fileDescriptor: Int32 = 1, name: String = "standard output") {
        descriptor = fileDescriptor
        self.name = name
        buffer.reserveCapacity(CheckedOutput.capacity)
    }

    /// Appends `text`; writes out when the buffer is full.
    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= CheckedOutput.capacity { try flush() }
    }

    /// Writes `text` and a line break to standard output at once.
    public static func printLine(_ text: String) throws {
        let output = CheckedOutput()
        try output.write(text + "\n")
        try output.flush()
    }

    /// Makes what goes through stdio's standard output (`print`, as ArgumentParser prints `--help`
    /// and `--version`) checked too: at exit it is flushed, and a failure (`> /dev/full`) is said
    /// on standard error and ends the process with exit 1.
    public static func checkStandardIOAtExit() {
        publica_check_stdout_at_exit()
    }

    /// Writes out everything buffered.
    public func flush() throws {
        var offset = 0
        defer { buffer.removeAll(keepingCapacity: true) }
        try buffer.withUnsafeBytes { bytes in
            while offset < bytes.count {
                let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw PublicaError.system(errno, "cannot write to \(name)")
                }
                offset += written
            }
        }
    }
}

/// The system's `write`, out of reach of the method's name.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
