#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PublicaCore

/// A file written under a temporary name and moved into place only when complete.
///
/// Bytes go to `.<name>.<pid>.publica-tmp` beside the destination; ``commit()`` syncs it and
/// renames it over the destination in one step, so a reader (or a killed run) sees either
/// the old file or the whole new one, never half of it. If the file is dropped without
/// a commit (an error was thrown), the temporary file is removed. `-` writes to standard
/// output directly.
public final class OutputFile {
    /// The destination path as the user named it.
    public let path: String
    private let temporaryPath: String?
    private var descriptor: Int32
    private var committed = false
    /// Bytes written so far.
    public private(set) var bytesWritten = 0

    /// The bytes buffered before each `write(2)`.
    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private(set) var bufferCapacity: Int

    public init(path: String, bufferCapacity: Int = 4 << 20) throws {
        self.path = path
        self.bufferCapacity = bufferCapacity
        if path == "-" {
            descriptor = 1
            temporaryPath = nil
        } else {
            let slash = path.lastIndex(of: "/")
            let directory = slash.map { String(path[..<$0]) } ?? "."
            let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
            let temporary = (directory.isEmpty ? "" : directory + "/") + ".\(name).\(getpid()).publica-tmp"
            if !directory.isEmpty { OutputFile.makeDirectories(directory) }
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw PublicaError(.io, "cannot write: \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
            }
            descriptor = fd
            temporaryPath = temporary
        }
        buffer = .allocate(capacity: bufferCapacity)
    }

    deinit {
        buffer.deallocate()
        if let temporaryPath, !committed {
            close(descriptor)
            unlink(temporaryPath)
        }
    }

    /// Replaces the (empty) buffer with one of at least `capacity` bytes, for a huge record.
    func growBuffer(to capacity: Int) {
        buffer.deallocate()
        buffer = .allocate(capacity: capacity)
        bufferCapacity = capacity
    }

    /// Writes all `count` bytes, retrying short writes.
    public func write(_ bytes: UnsafeRawPointer, count: Int) throws {
        var offset = 0
        while offset < count {
            let written = Glibc.write(descriptor, bytes + offset, count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw PublicaError(.io, "cannot write: \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
            }
            offset += written
        }
        bytesWritten += count
    }

    /// Syncs the file and moves it into place. Standard output is only flushed.
    public func commit() throws {
        guard let temporaryPath else { return }
        guard fsync(descriptor) == 0, close(descriptor) == 0 else {
            throw PublicaError(.io, "cannot write: \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
        }
        descriptor = -1
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            committed = true
            throw PublicaError(.io, "cannot move the finished file into place: \(reason)", at: SourceLocation(file: path))
        }
        committed = true
        OutputFile.syncDirectory(of: path)
    }

    /// Creates `directory` and its missing parents (like `mkdir -p`); failures surface at `open`.
    static func makeDirectories(_ directory: String) {
        var prefix = directory.hasPrefix("/") ? "/" : ""
        for component in directory.split(separator: "/") {
            prefix += component
            mkdir(prefix, 0o755)
            prefix += "/"
        }
    }

    /// Syncs the directory holding `path`, so a rename survives a crash.
    static func syncDirectory(of path: String) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let fd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}
