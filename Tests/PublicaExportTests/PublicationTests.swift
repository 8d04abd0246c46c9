import Foundation
import PublicaCore
import PublicaExport
import PublicaTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Writes `text` to `path` through an ``OutputFile`` of `publication` (committed, not yet published).
func stage(_ text: String, _ path: String, _ publication: Publication?) throws {
    var output = OutputBuffer(file: try OutputFile(path: path, publication: publication))
    try output.append(text)
    try output.commitFile()
}

func entries(_ directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
}

struct PublicationTests {
    @Test func filesAppearOnlyWhenPublishedAndTogether() throws {
        let directory = try TemporaryDirectory()
        let publication = Publication(anchor: directory.path("out.ndjson"))
        try stage("{}\n", directory.path("out.ndjson"), publication)
        try stage("{\"rule\":\"x\"}\n", directory.path("out.rejects.ndjson"), publication)
        // Committed files wait, named as temporary files, for the publication.
        #expect(try entries(directory.url.path).allSatisfy { $0.hasSuffix(".publica-tmp") })
        try publication.publish()
        #expect(try entries(directory.url.path) == ["out.ndjson", "out.rejects.ndjson"])
        #expect(
            try String(contentsOfFile: directory.path("out.rejects.ndjson"), encoding: .utf8) == "{\"rule\":\"x\"}\n")
    }

    @Test func aDroppedPublicationLeavesNothing() throws {
        let directory = try TemporaryDirectory()
        try "old\n".write(toFile: directory.path("out.ndjson"), atomically: false, encoding: .utf8)
        do {
            let publication = Publication()
            try stage("new\n", directory.path("out.ndjson"), publication)
            try stage("rejects\n", directory.path("out.rejects.ndjson"), publication)
        }
        #expect(try entries(directory.url.path) == ["out.ndjson"])
        #expect(try String(contentsOfFile: directory.path("out.ndjson"), encoding: .utf8) == "old\n")
    }

    @Test func aStaleRejectsFileLeavesWithThePublication() throws {
        let directory = try TemporaryDirectory()
        try "old rejects\n".write(toFile: directory.path("out.rejects.ndjson"), atomically: false, encoding: .utf8)
        let publication = Publication()
        try stage("new\n", directory.path("out.ndjson"), publication)
        var rejects = RejectsWriter(path: directory.path("out.rejects.ndjson"), publication: publication)
        try rejects.finish()
        #expect(
            FileManager.default.fileExists(atPath: directory.path("out.rejects.ndjson")), "removed only when published")
        try publication.publish()
        #expect(try entries(directory.url.path) == ["out.ndjson"])
    }

    @Test func aJournalLeftByAKilledRunIsFinished() throws {
        let directory = try TemporaryDirectory()
        let out = directory.path("out.ndjson")
        let rejects = directory.path("out.rejects.ndjson")
        try "old\n".write(toFile: out, atomically: false, encoding: .utf8)
        try "old rejects\n".write(toFile: rejects, atomically: false, encoding: .utf8)
        // As a run killed after its journal and its first move leaves things: the output moved,
        // the rejects' temporary file still waiting.
        try "new rejects\n".write(
            toFile: directory.path(".out.rejects.ndjson.99999999-1.publica-tmp"), atomically: false, encoding: .utf8)
        try "new\n".write(toFile: out, atomically: false, encoding: .utf8)
        let journal =
            "move\t\(directory.path(".out.ndjson.99999999-2.publica-tmp"))\t\(out)\n"
            + "move\t\(directory.path(".out.rejects.ndjson.99999999-1.publica-tmp"))\t\(rejects)\n"
        // Cut short (no end line), a journal decided nothing: it is dropped, nothing moved.
        try journal.write(toFile: directory.path(".out.ndjson.publica-journal"), atomically: false, encoding: .utf8)
        Publication.recover(for: out)
        #expect(try String(contentsOfFile: rejects, encoding: .utf8) == "old rejects\n")
        #expect(
            try entries(directory.url.path) == [
                ".out.rejects.ndjson.99999999-1.publica-tmp", "out.ndjson", "out.rejects.ndjson"
            ])
        // Whole, it is finished.
        try (journal + "end\n").write(
            toFile: directory.path(".out.ndjson.publica-journal"), atomically: false, encoding: .utf8)
        Publication.recover(for: out)
        #expect(try entries(directory.url.path) == ["out.ndjson", "out.rejects.ndjson"])
        #expect(try String(contentsOfFile: rejects, encoding: .utf8) == "new rejects\n")
    }

    @Test func aJournalMovesOnlyPublicasOwnTemporaryFiles() throws {
        let directory = try TemporaryDirectory()
        let out = directory.path("out.ndjson")
        try "precious\n".write(toFile: directory.path("precious.txt"), atomically: false, encoding: .utf8)
        try "move\t\(directory.path("precious.txt"))\t\(out)\nend\n"
            .write(toFile: directory.path(".out.ndjson.publica-journal"), atomically: false, encoding: .utf8)
        Publication.recover(for: out)
        #expect(try entries(directory.url.path) == ["precious.txt"])
    }

    @Test func temporaryFilesOfDeadRunsAreRemovedAndLiveOnesKept() throws {
        let directory = try TemporaryDirectory()
        let dead = directory.path(".out.ndjson.99999999-ab.publica-tmp")  // no such pid
        let live = directory.path(".out.ndjson.1-ab.publica-tmp")  // pid 1 is alive
        let other = directory.path(".other.ndjson.99999999-ab.publica-tmp")  // another output's
        for path in [dead, live, other] { try "x".write(toFile: path, atomically: false, encoding: .utf8) }
        try stage("{}\n", directory.path("out.ndjson"), nil)
        #expect(
            try entries(directory.url.path) == [
                ".other.ndjson.99999999-ab.publica-tmp", ".out.ndjson.1-ab.publica-tmp", "out.ndjson"
            ])
    }

    @Test func aPlantedSymlinkIsReplacedNeverFollowed() throws {
        let directory = try TemporaryDirectory()
        try "target\n".write(toFile: directory.path("target.txt"), atomically: false, encoding: .utf8)
        // At the output's name, and at the old predictable temporary name.
        symlink(directory.path("target.txt"), directory.path("out.ndjson"))
        symlink(directory.path("target.txt"), directory.path(".out.ndjson.\(getpid()).publica-tmp"))
        try stage("{}\n", directory.path("out.ndjson"), nil)
        #expect(try String(contentsOfFile: directory.path("target.txt"), encoding: .utf8) == "target\n")
        #expect(try String(contentsOfFile: directory.path("out.ndjson"), encoding: .utf8) == "{}\n")
        var info = stat()
        #expect(lstat(directory.path("out.ndjson"), &info) == 0 && info.st_mode & S_IFMT == S_IFREG)
    }
}
