import Foundation
import PublicaCore
import PublicaTestSupport
import Testing
@testable import PublicaCommands

/// `convert` replaces only its own output and rejects, and never its input.
struct OwnedPathsTests {
    @Test func convertRefusesToReplaceItsInput() throws {
        let directory = try TemporaryDirectory()
        let input = try writeText("a,b\n1,2\n3\n", directory.path("in.csv"))
        #expect(publica(["convert", input, input, "-q"]) == 64)
        #expect(publica(["convert", input, directory.path("./in.csv"), "--to", "csv", "-q"]) == 64)
        #expect(publica(["convert", input, directory.path("out.ndjson"), "--rejects", input, "-q"]) == 64)
        #expect(publica(["convert", input, directory.path("out.ndjson"), "--rejects", directory.path("out.ndjson"), "-q"]) == 64)
        #expect(try String(contentsOfFile: input, encoding: .utf8) == "a,b\n1,2\n3\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["in.csv"])
    }

    @Test func anExistingOutputSurvivesARefusedRejectsPath() throws {
        let directory = try TemporaryDirectory()
        let input = try writeText("a,b\n1,2\n3\n", directory.path("in.csv"))
        let output = try writeText("previous\n", directory.path("out.ndjson"))
        #expect(publica(["convert", input, output, "--rejects", output, "-q"]) == 64)
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "previous\n")
    }

    @Test func outputAndRejectsArePublishedTogether() throws {
        let directory = try TemporaryDirectory()
        let ragged = try writeText("a,b\n1,2\n3\n", directory.path("ragged.csv"))
        let clean = try writeText("a,b\n1,2\n", directory.path("clean.csv"))
        let output = directory.path("out.ndjson")
        #expect(publica(["convert", ragged, output, "-q"]) == 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted()
                == ["clean.csv", "out.ndjson", "out.rejects.ndjson", "ragged.csv"])
        #expect(publica(["convert", clean, output, "-q"]) == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted() == ["clean.csv", "out.ndjson", "ragged.csv"])
    }

    @Test func convertDoesNotWriteIntoAPipelinesFolder() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path("out"), withIntermediateDirectories: true)
        _ = try writeText("{}\n", directory.path("out/.publica-state.json"))
        let bulletin = Fixtures.url("bulletins/rnd-kiosk-098.txt").path
        #expect(publica(["convert", bulletin, directory.path("out"), "--from", "bulletin", "-q"]) == 64)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path("out")) == [".publica-state.json"])
    }

    @Test func aMultiResourceConversionDoesNotWriteOverItsInput() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path("out"), withIntermediateDirectories: true)
        let input = directory.path("out/issue.ndjson")
        try Fixtures.data("bulletins/rnd-kiosk-098.txt").write(to: URL(fileURLWithPath: input))
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        #expect(publica(["convert", input, directory.path("out"), "--from", "bulletin", "-q"]) == 64)
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path("out")) == ["issue.ndjson"])
    }
}
