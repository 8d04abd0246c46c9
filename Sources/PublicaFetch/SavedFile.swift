import PublicaCore

#if canImport(Glibc)
import Glibc
#endif

/// Writes a response into a fetch folder the run made for itself: created new (never through
/// a planted symlink or over a file it did not make), then renamed into place.
enum SavedFile {
    static func write(_ bytes: [UInt8], to path: String) throws {
        try write(to: path) { descriptor in
            try bytes.withUnsafeBytes { try writeAll(descriptor, $0) }
        }
    }

    /// Copies the file at `source` (not through a link) to `path`, a chunk at a time, and
    /// syncs it: the copy is published.
    static func copy(_ source: String, to path: String) throws {
        let input = open(source, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard input >= 0 else { throw PublicaError.system(errno, "cannot read a kept response", path: source) }
        defer { close(input) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        try write(to: path, durable: true) { descriptor in
            while true {
                let count = read(input, buffer.baseAddress, buffer.count)
                guard count >= 0 else { throw PublicaError.system(errno, "cannot read a kept response", path: source) }
                if count == 0 { return }
                try writeAll(descriptor, UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            }
        }
    }

    /// Creates `path` new through a temporary file `body` writes into, then renames it into
    /// place; `durable`: on disk before its name is (a file a published state will list).
    private static func write(to path: String, durable: Bool = false, _ body: (Int32) throws -> Void) throws {
        let temporary = path + ".part"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw PublicaError.system(errno, "cannot save a response", path: temporary) }
        do {
            try body(descriptor)
            if durable, fsync(descriptor) != 0 {
                throw PublicaError.system(errno, "cannot save a response", path: temporary)
            }
            close(descriptor)
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw PublicaError.system(code, "cannot save a response", path: path)
        }
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            guard written > 0 else { throw PublicaError.system(errno, "cannot save a response") }
            offset += written
        }
    }

    /// Syncs the file at `path` to disk (a response linked into the published folder).
    static func sync(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw PublicaError.system(errno, "cannot keep a response", path: path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw PublicaError.system(errno, "cannot keep a response", path: path) }
    }
}
