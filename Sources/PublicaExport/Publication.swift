import PublicaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        /// For a removal: the file seen when it was queued (device, inode), so another run's new
        /// file at that name is never the one removed.
        var identity: (dev_t, ino_t)?
    }

    private var moves: [Move] = []
    /// Set once the moves have begun: from then on the temporary files belong to the journal.
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
        moves.append(
            Move(temporary: nil, destination: destination, descriptor: -1, identity: (info.st_dev, info.st_ino)))
    }

    /// Moves every file into place, or, if the process dies on the way, leaves a journal the
    /// next run finishes.
    public func publish() throws {
        guard !moves.isEmpty else { return }
        let journal = moves.count > 1 ? Publication.journalPath(for: anchor ?? moves[0].destination) : nil
        if let journal { try writeJournal(journal) }
        for move in moves {
            do {
                try Publication.perform(move)
            } catch {
                // Nothing moved yet: nothing published, the journal goes and the temporary files with
                // the publication. Some moved: the rest belong to the journal, which the next run finishes.
                if !published, let journal { unlink(journal) }
                throw error
            }
            published = true
        }
        if let journal {
            unlink(journal)
            OutputFile.syncDirectory(of: journal)
        }
    }

    private static func perform(_ move: Move) throws {
        if let temporary = move.temporary {
            guard rename(temporary, move.destination) == 0 else {
                throw PublicaError.system(errno, "cannot move the finished file into place", path: move.destination)
            }
        } else if isSame(move.destination, move.identity), unlink(move.destination) != 0 && errno != ENOENT {
            throw PublicaError.system(errno, "cannot remove the stale file", path: move.destination)
        }
        OutputFile.syncDirectory(of: move.destination)
    }

    // MARK: - Journal

    static func journalPath(for destination: String) -> String {
        let slash = destination.lastIndex(of: "/")
        let directory = slash.map { String(destination[...$0]) } ?? ""
        let name = slash.map { String(destination[destination.index(after: $0)...]) } ?? destination
        return directory + ".\(name).publica-journal"
    }

    /// Whether `path` is still the file seen at queueing time.
    private static func isSame(_ path: String, _ identity: (dev_t, ino_t)?) -> Bool {
        var info = stat()
        guard let identity, lstat(path, &info) == 0 else { return false }
        return info.st_dev == identity.0 && info.st_ino == identity.1
    }

    /// One line per move, absolute paths: `move\tTEMPORARY\tDESTINATION` or
    /// `remove\tDEVICE:INODE\tDESTINATION`, then `end` (a journal without it is not acted on).
    private func writeJournal(_ path: String) throws {
        var text = ""
        for move in moves {
            if let temporary = move.temporary {
                text += "move\t\(Publication.absolute(temporary))\t"
            } else {
                text += "remove\t\(move.identity.map { "\($0.0):\($0.1)" } ?? "")\t"
            }
            text += Publication.absolute(move.destination) + "\n"
        }
        text += "end\n"
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
            let bytes = try? readJournal(journal)
        else { return }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        // Written whole before any move, or not at all: a journal cut short decided nothing.
        guard lines.last == "end" else {
            unlink(journal)
            return
        }
        for line in lines.dropLast() {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { continue }
            if parts[0] == "move", isTemporary(parts[1], of: parts[2]), lstat(parts[1], &info) == 0 {
                rename(parts[1], parts[2])
            } else if parts[0] == "remove", lstat(parts[2], &info) == 0, info.st_mode & S_IFMT == S_IFREG,
                "\(info.st_dev):\(info.st_ino)" == parts[1]
            {
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
        guard temporary.hasPrefix(prefix), temporary.hasSuffix(TemporaryFile.suffix) else { return false }
        let middle = temporary.dropFirst(prefix.count).dropLast(TemporaryFile.suffix.count)
        return !middle.contains("/") && !middle.contains(".")
    }

    /// The whole journal (it lists every file of a publication: a bulletin's hundreds of tables too).
    private static func readJournal(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw PublicaError.system(errno, "cannot read", path: path) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = read(fd, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk.prefix(count)
            guard bytes.count < 64 << 20 else { throw PublicaError.system(EFBIG, "cannot read", path: path) }
        }
        return bytes
    }
}
