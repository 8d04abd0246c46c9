#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PublicaCore

/// Files published together, both or neither: a conversion's output and its rejects, or the
/// files of a multi-resource conversion.
///
/// Each ``OutputFile`` made with a publication is written and synced under its temporary name
/// and handed here at its commit instead of being moved into place. ``publish()`` then writes a
/// journal beside the first destination (`.<name>.publica-journal`: every move and removal
/// it is about to make), syncs it, makes the moves, and removes the journal. The journal makes
/// the moves one decision: a run killed between two of them is finished by the next run that
/// writes the same output (``recover(for:)``), before it writes anything. A publication dropped
/// unpublished (an error, a signal) removes its temporary files.
public final class Publication {
    private struct Move {
        var temporary: String?  // nil: remove the destination
        var destination: String
        var descriptor: Int32
    }

    private var moves: [Move] = []
    private var published = false
    /// The destination the journal is named after (default: the first file added).
    private let anchor: String?

    /// - Parameter anchor: the destination the journal sits beside; the next run writing it
    ///   calls ``recover(for:)`` with the same path.
    public init(anchor: String? = nil) {
        self.anchor = anchor
    }

    deinit {
        for move in moves {
            if !published, let temporary = move.temporary { unlink(temporary) }
            if move.descriptor >= 0 { close(move.descriptor) }
        }
    }

    /// Takes a finished, synced temporary file; its descriptor (and lock) is closed at publishing.
    func add(temporary: String, descriptor: Int32, destination: String) {
        moves.append(Move(temporary: temporary, destination: destination, descriptor: descriptor))
    }

    /// Removes `destination` when publishing (a rejects file an earlier run left, now stale).
    public func remove(_ destination: String) {
        var info = stat()
        guard destination != "-", lstat(destination, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return }
        moves.append(Move(temporary: nil, destination: destination, descriptor: -1))
    }

    /// Moves every file into place, or, if the process dies on the way, leaves a journal the
    /// next run finishes.
    public func publish() throws {
        guard !moves.isEmpty else { return }
        let journal = moves.count > 1 ? Publication.journalPath(for: anchor ?? moves[0].destination) : nil
        if let journal { try writeJournal(journal) }
        for move in moves {
            if let temporary = move.temporary {
                guard rename(temporary, move.destination) == 0 else {
                    throw OutputFile.error(errno, path: move.destination, doing: "cannot move the finished file into place")
                }
            } else if unlink(move.destination) != 0 && errno != ENOENT {
                throw OutputFile.error(errno, path: move.destination, doing: "cannot remove the stale file")
            }
            OutputFile.syncDirectory(of: move.destination)
        }
        published = true
        if let journal {
            unlink(journal)
            OutputFile.syncDirectory(of: journal)
        }
    }

    // MARK: - Journal

    static func journalPath(for destination: String) -> String {
        let slash = destination.lastIndex(of: "/")
        let directory = slash.map { String(destination[...$0]) } ?? ""
        let name = slash.map { String(destination[destination.index(after: $0)...]) } ?? destination
        return directory + ".\(name).publica-journal"
    }

    /// One line per move, absolute paths: `move\tTEMPORARY\tDESTINATION` or `remove\t\tDESTINATION`.
    private func writeJournal(_ path: String) throws {
        var text = ""
        for move in moves {
            text += (move.temporary == nil ? "remove\t\t" : "move\t\(Publication.absolute(move.temporary!))\t")
                + Publication.absolute(move.destination) + "\n"
        }
        let file = try OutputFile(path: path)
        var buffer = OutputBuffer(file: file)
        try buffer.append(text)
        try buffer.commitFile()
    }

    /// Absolute, but not normalised: `..` after a symbolic link means what the system says.
    private static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : PathNormalization.workingDirectory() + "/" + path
    }

    /// Finishes a publication to `destination` that a killed run left half done: the moves its
    /// journal lists whose temporary file is still there, and its removals. Only a journal that is
    /// a regular file of this user is trusted, and only moves of Publica's own temporary files
    /// onto the destination they were named after.
    public static func recover(for destination: String) {
        guard destination != "-" else { return }
        let journal = journalPath(for: destination)
        var info = stat()
        guard lstat(journal, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid(),
              let bytes = try? readSmallFile(journal) else { return }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { continue }
            if parts[0] == "move", isTemporary(parts[1], of: parts[2]), lstat(parts[1], &info) == 0 {
                rename(parts[1], parts[2])
            } else if parts[0] == "remove", lstat(parts[2], &info) == 0, info.st_mode & S_IFMT == S_IFREG {
                unlink(parts[2])
            }
            OutputFile.syncDirectory(of: parts[2])
        }
        unlink(journal)
    }

    /// True when `temporary` is a temporary file Publica names for `destination`, in its folder.
    private static func isTemporary(_ temporary: String, of destination: String) -> Bool {
        guard let slash = destination.lastIndex(of: "/") else { return false }
        let prefix = destination[...slash] + "." + destination[destination.index(after: slash)...] + "."
        return temporary.hasPrefix(prefix) && temporary.hasSuffix(TemporaryFile.suffix)
            && !temporary.dropFirst(prefix.count).contains("/")
    }

    private static func readSmallFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw OutputFile.error(errno, path: path, doing: "cannot read") }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 1 << 16)
        let count = read(fd, &bytes, bytes.count)
        return count > 0 ? Array(bytes.prefix(count)) : []
    }
}
