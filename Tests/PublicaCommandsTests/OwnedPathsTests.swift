import Foundation
import PublicaCore
import PublicaTestSupport
import Testing

@testable import PublicaCommands

#if canImport(Glibc)
import Glibc
#endif

/// `convert` replaces only its own output and rejects, and never its input.
struct OwnedPathsTests {
    @Test func convertRefusesToReplaceItsInput() throws {
        let directory = try TemporaryDirectory()
        let input = try writeText("a,b\n1,2\n3\n", directory.path("in.csv"))
        #expect(publica(["convert", input, input, "-q"]) == 64)
        #expect(publica(["convert", input, directory.path("./in.csv"), "--to", "csv", "-q"]) == 64)
        #expect(publica(["convert", input, directory.path("out.ndjson"), "--rejects", input, "-q"]) == 64)
        #expect(
            publica(["convert", input, directory.path("out.ndjson"), "--rejects", directory.path("out.ndjson"), "-q"])
                == 64)
        #expect(try String(contentsOfFile: input, encoding: .utf8) == "a,b\n1,2\n3\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["in.csv"])
    }

    /// Each refusal names the path and what it would have replaced.
    @Test func refusalsSayWhatWouldBeReplaced() throws {
        let directory = try TemporaryDirectory()
        let input = try writeText("a,b\n1,2\n3\n", directory.path("in.csv"))
        let output = directory.path("out.ndjson")
        symlink(input, directory.path("link.csv"))
        link(input, directory.path("hard.csv"))
        let cases: [([String], String)] = [
            (
                ["convert", input, input],
                "publica: \(input): error: the output is the input file; write to another path"
            ),
            (
                ["convert", input, directory.path("link.csv"), "--to", "csv"],
                "link.csv: error: the output is the input file"
            ),
            (
                ["convert", input, directory.path("hard.csv"), "--to", "csv"],
                "hard.csv: error: the output is the input file"
            ),
            (["convert", input, output, "--rejects", input], "in.csv: error: --rejects names the input file"),
            (["convert", input, output, "--rejects", output], "out.ndjson: error: --rejects names the output file")
        ]
        for (arguments, message) in cases {
            let result = try runPublicaBinary(arguments)
            #expect(result.code == 64 && result.errors.contains(message), "\(arguments): \(result.errors)")
        }
        #expect(try String(contentsOfFile: input, encoding: .utf8) == "a,b\n1,2\n3\n")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    /// A variable's value that would move a pipeline's output (`out/${X}.csv` with `X=../new/x`)
    /// stops `publica check` and `publica run` with exit 64 at its place; nothing is written.
    @Test func aVariableThatWouldMoveAnOutputStopsCheckAndRun() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path("p"), withIntermediateDirectories: true)
        _ = try writeText("a,b\n1,2\n", directory.path("p/data.csv"))
        let pipeline = try writeText(
            "version: 1\nsources:\n  s: {path: data.csv}\noutputs:\n  - {path: \"out/${PUBLICA_TEST_X}.csv\"}\n",
            directory.path("p/p.yaml"))
        let environment = ["PUBLICA_TEST_X": "../new/x"]
        let message =
            "p.yaml:5:12: error: environment variable PUBLICA_TEST_X is '../new/x', which cannot go inside an output path"
        let report = directory.path("check.txt")
        let check = try runPublicaBinary(["check", pipeline], standardOutput: report, environment: environment)
        #expect(check.code == 64)
        #expect(try String(contentsOfFile: report, encoding: .utf8).contains(message))
        let run = try runPublicaBinary(["run", pipeline], environment: environment)
        #expect(run.code == 64 && run.errors.contains(message), "\(run.errors)")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path("p")).sorted() == ["data.csv", "p.yaml"])
        #expect(try runPublicaBinary(["run", pipeline], environment: ["PUBLICA_TEST_X": "x"]).code == 0)
        #expect(FileManager.default.fileExists(atPath: directory.path("p/out/x.csv")))
    }

    /// `convert - data.csv < data.csv`: standard input is the output file, which would be replaced.
    @Test func standardInputThatIsTheOutputOrTheRejectsIsRefused() throws {
        let directory = try TemporaryDirectory()
        let input = try writeText("a,b\n1,2\n3\n", directory.path("in.csv"))
        let onto = try runPublicaBinary(["convert", "-", input, "--from", "csv", "--to", "csv"], standardInput: input)
        #expect(
            onto.code == 64 && onto.errors.contains("in.csv: error: the output is the input file"), "\(onto.errors)")
        let rejects = try runPublicaBinary(
            ["convert", "-", directory.path("out.ndjson"), "--from", "csv", "--rejects", input], standardInput: input)
        #expect(
            rejects.code == 64 && rejects.errors.contains("in.csv: error: --rejects names the input file"),
            "\(rejects.errors)")
        #expect(try String(contentsOfFile: input, encoding: .utf8) == "a,b\n1,2\n3\n")
        // Standard input from another file converts as before.
        let other = try writeText("a,b\n1,2\n", directory.path("other.csv"))
        let converted = try runPublicaBinary(
            ["convert", "-", directory.path("out.ndjson"), "--from", "csv"], standardInput: other)
        #expect(converted.code == 0, "\(converted.errors)")
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
        // Beside them only the conversions' lock file.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted()
                == [".out.ndjson.publica.lock", "clean.csv", "out.ndjson", "out.rejects.ndjson", "ragged.csv"])
        #expect(publica(["convert", clean, output, "-q"]) == 0)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted()
                == [".out.ndjson.publica.lock", "clean.csv", "out.ndjson", "ragged.csv"])
    }

    @Test func convertDoesNotWriteIntoAPipelinesFolder() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path("out"), withIntermediateDirectories: true)
        _ = try writeText("{}\n", directory.path("out/.publica-state.json"))
        let bulletin = Fixtures.url("bulletins/rnd-kiosk-098.txt").path
        #expect(publica(["convert", bulletin, directory.path("out"), "--from", "bulletin", "-q"]) == 64)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path("out")) == [".publica-state.json"])
    }

    /// A run replaces its whole folder, so a subfolder of it is the pipeline's too: a conversion
    /// there would make the next run refuse the folder (it holds files the run did not write).
    @Test func convertDoesNotWriteIntoASubfolderOfAPipelinesFolder() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path("out"), withIntermediateDirectories: true)
        _ = try writeText("{}\n", directory.path("out/.publica-state.json"))
        let input = try writeText("a,b\n1,2\n", directory.path("in.csv"))
        let bulletin = Fixtures.url("bulletins/rnd-kiosk-098.txt").path
        let single = publicaCapturingErrors(["convert", input, directory.path("out/sub/a.csv"), "-q"])
        #expect(single.code == 64)
        #expect(single.errors.contains("/out is the output folder of a pipeline"))
        #expect(publica(["convert", bulletin, directory.path("out/kiosk"), "--from", "bulletin", "-q"]) == 64)
        #expect(
            publica(["convert", input, directory.path("a.csv"), "--rejects", directory.path("out/x/r.ndjson"), "-q"])
                == 64)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path("out")) == [".publica-state.json"])
        #expect(OwnedPaths.pipelineFolder(atOrAbove: directory.path("out/sub/deeper")) == directory.path("out"))
        #expect(OwnedPaths.pipelineFolder(atOrAbove: directory.path("elsewhere")) == nil)
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

    @Test func aSingleTableConversionDoesNotWriteIntoAPipelinesFolder() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path("out"), withIntermediateDirectories: true)
        _ = try writeText("{}\n", directory.path("out/.publica-state.json"))
        let published = try writeText("published\n", directory.path("out/registry.ndjson"))
        let input = try writeText("a,b\n1,2\n", directory.path("registry.csv"))
        #expect(publica(["convert", input, published, "-q"]) == 64)
        #expect(
            publica([
                "convert", input, directory.path("elsewhere.ndjson"), "--rejects", directory.path("out/r.ndjson"), "-q"
            ]) == 64)
        #expect(try String(contentsOfFile: published, encoding: .utf8) == "published\n")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path("out")).sorted() == [
                ".publica-state.json", "registry.ndjson"
            ])
    }

    @Test func twoConversionsToOneOutputDoNotRace() throws {
        let directory = try TemporaryDirectory()
        let input = try writeText("a,b\n1,2\n", directory.path("in.csv"))
        let lock = open(directory.path(".out.ndjson.publica.lock"), O_RDWR | O_CREAT, 0o644)
        defer { close(lock) }
        #expect(flock(lock, LOCK_EX | LOCK_NB) == 0)
        #expect(publica(["convert", input, directory.path("out.ndjson"), "-q"]) == 75)
        #expect(!FileManager.default.fileExists(atPath: directory.path("out.ndjson")))
        flock(lock, LOCK_UN)
        #expect(publica(["convert", input, directory.path("out.ndjson"), "-q"]) == 0)
    }

    @Test func rejectsCannotShareStandardOutput() throws {
        let directory = try TemporaryDirectory()
        let input = try writeText("a,b\n1,2\n", directory.path("in.csv"))
        #expect(publica(["convert", input, "-", "--to", "ndjson", "--rejects", "-", "-q"]) == 64)
    }
}
