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
