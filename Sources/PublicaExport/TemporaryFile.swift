internal import CPublicaSystem
import PublicaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file an ``OutputFile`` writes before it is moved over its destination.
///
/// It never follows or replaces anything that is already there: on Linux it is an unnamed file
/// (`O_TMPFILE`), so a process killed while writing leaves nothing at all; it gets a fresh name
/// only once complete and synced (`linkat`, which fails rather than replace). Elsewhere it is
/// created under a fresh name with `O_CREAT | O_EXCL | O_NOFOLLOW`. Either way the name is
/// `.<destination>.<pid>-<random>.publica-tmp` and the descriptor holds an exclusive `flock`
/// for as long as the writer lives, so a later run can tell a dead run's leftover (its lock is
/// gone) from a live one's and remove it (``removeStale(besides:)``).
struct TemporaryFile {
    let descriptor: Int32
    /// The name, once it has one (at creation on the fallback path, else at ``giveName()``).
    private(set) var path: String?
    private let directory: String
    private let destinationName: String

    static let suffix = ".publica-tmp"
    static let canName = access("/proc/self/fd", X_OK) == 0

    /// Creates the temporary file for `destination`, in its directory.
    init(for destination: String) throws {
        let slash = destination.lastIndex(of: "/")
        directory = slash.map { String(destination[...$0]) } ?? ""
        destinationName = slash.map { String(destination[destination.index(after: $0)...]) } ?? destination
        // Naming an unnamed file goes through /proc/self/fd: without /proc (some sandboxes) it could never be named.
        let unnamed = TemporaryFile.canName ? publica_open_unnamed(directory.isEmpty ? "." : directory, 0o644) : -1
        if unnamed >= 0 {
            descriptor = unnamed
            path = nil
        } else {
            (descriptor, path) = try TemporaryFile.createNamed(
                directory: directory, name: destinationName, destination: destination)
        }
        _ = flock(descriptor, LOCK_EX | LOCK_NB)
    }

    /// A fresh name beside the destination: `.<name>.<pid>-<random>.publica-tmp`.
    private static func freshName(directory: String, name: String) -> String {
        directory + ".\(name).\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))" + suffix
    }

    private static func createNamed(directory: String, name: String, destination: String) throws -> (Int32, String) {
        for _ in 0..<16 {
            let candidate = freshName(directory: directory, name: name)
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if fd >= 0 { return (fd, candidate) }
            guard errno == EEXIST else { throw PublicaError.system(errno, "cannot write", path: destination) }
        }
        throw PublicaError.system(EEXIST, "cannot create a temporary file", path: destination)
    }

    /// Names an unnamed file (a no-op for a named one) and returns the name.
    mutating func giveName(destination: String) throws -> String {
        if let path { return path }
        for _ in 0..<16 {
            let candidate = TemporaryFile.freshName(directory: directory, name: destinationName)
            if publica_link_unnamed(descriptor, candidate) == 0 {
                path = candidate
                return candidate
            }
            guard errno == EEXIST else {
                throw PublicaError.system(errno, "cannot move the finished file into place", path: destination)
            }
        }
        throw PublicaError.system(EEXIST, "cannot name the finished file", path: destination)
    }

    /// Removes what killed runs left beside `destination`: temporary files of its name whose
    /// writer is gone (no process with their pid, and no lock on them). Only regular files this
    /// user owns are considered; a live run's file is never touched.
    static func removeStale(besides destination: String) {
        let slash = destination.lastIndex(of: "/")
        let directory = slash.map { String(destination[...$0]) } ?? ""
        let name = slash.map { String(destination[destination.index(after: $0)...]) } ?? destination
        let prefix = ".\(name)."
        guard let folder = opendir(directory.isEmpty ? "." : directory) else { return }
        defer { closedir(folder) }
        while let entry = readdir(folder) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard entryName.hasPrefix(prefix), entryName.hasSuffix(suffix) else { continue }
            let middle = entryName.dropFirst(prefix.count).dropLast(suffix.count)
            guard let dash = middle.firstIndex(of: "-"), let pid = Int32(middle[..<dash]), !middle.contains(".") else {
                continue
            }
            if pid == getpid() || kill(pid, 0) == 0 { continue }
            removeIfUnlocked(directory + entryName)
        }
    }

    private static func removeIfUnlocked(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid() else { return }
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { unlink(path) }
    }
}
