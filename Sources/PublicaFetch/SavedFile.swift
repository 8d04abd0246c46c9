import PublicaCore

#if canImport(Glibc)
import Glibc
#endif

/// Writes a response into a fetch folder the run made for itself: created new (never through
/// a planted symlink or over a file it did not make), then renamed into place.
enum SavedFile {
    static func write(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".part"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw PublicaError.system(errno, "cannot save a response", path: temporary) }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                Glibc.write(descriptor, $0.baseAddress! + offset, bytes.count - offset)
            }
            guard written > 0 else {
                let code = errno
                unlink(temporary)
                throw PublicaError.system(code, "cannot save a response", path: temporary)
            }
            offset += written
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw PublicaError.system(code, "cannot save a response", path: path)
        }
    }
}
