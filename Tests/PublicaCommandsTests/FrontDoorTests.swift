import ArgumentParser
import Foundation
import PublicaCore
import PublicaExport
import PublicaIngest
import PublicaTestSupport
import Testing

@testable import PublicaCommands
@testable import PublicaValidation

/// What a newcomer meets first: typos, options that only apply elsewhere, plain messages.
struct FrontDoorTests {
    @Test func aMistypedCommandGetsADidYouMean() {
        #expect(
            PublicaCommand.unknownCommand(in: ["conver", "a", "b"])
                == "unknown command 'conver' (commands: run, check, test, convert, validate, infer, diff); did you mean 'convert'?"
        )
        #expect(PublicaCommand.unknownCommand(in: ["help", "conver"])?.hasSuffix("did you mean 'convert'?") == true)
        #expect(PublicaCommand.unknownCommand(in: ["frobnicate"])?.contains("did you mean") == false)
        for fine in [["convert", "a", "b"], ["help"], ["help", "run"], ["--help"], ["--version"], []] {
            #expect(PublicaCommand.unknownCommand(in: fine) == nil)
        }
    }

    @Test func optionsThatWouldDoNothingAreRefused() throws {
        let directory = try TemporaryDirectory()
        let input = try writeText("a,b\n1,2\n", directory.path("in.csv"))
        #expect(publica(["convert", input, directory.path("out.ndjson"), "--title", "x", "-q"]) == 64)
        #expect(!FileManager.default.fileExists(atPath: directory.path("out.ndjson")))
        _ = try writeText(
            "version: 1\nname: p\nsources:\n  s: {path: in.csv}\noutputs:\n  - {path: out/a.csv}\n",
            directory.path("p.yaml"))
        #expect(publica(["run", directory.path("p.yaml"), "--limit", "1", "-q"]) == 64)
        #expect(!FileManager.default.fileExists(atPath: directory.path("out")))
    }

    @Test func countsReadAsEnglish() {
        let outcome = ConversionOutcome(
            written: 1, rejected: 0, dropped: 0,
            counters: [
                ("skipped lines", 1), ("blank lines", 2),
                ("paging numOfRows", 100), ("paging pageNo", 1)
            ])
        #expect(
            outcome.summary(input: "a.xml", output: "b.ndjson", rejectsPath: "r")
                == "publica: a.xml -> b.ndjson: 1 record written; 1 skipped line, 2 blank lines, paging: numOfRows 100, pageNo 1"
        )
    }

    @Test func aTitleLineAboveTheHeaderGetsAHint() throws {
        let directory = try TemporaryDirectory()
        let titled = try writeText("시설 현황 (2024년)\n연번,시설명,주소\n1,가,서울\n2,나,부산\n3,다,대구\n", directory.path("titled.csv"))
        let hint = HeaderHint.check(titled, options: CSVReadOptions())
        #expect(
            hint
                == "hint: line 1 has 1 field but the rows below have 3; if the header is further down (a title line above it), "
                + "name its line with --header-row N or let --header-row auto find it")
        #expect(HeaderHint.check(titled, options: CSVReadOptions(headerRow: 2)) == nil)
        let plain = try writeText("a,b\n1,2\n3,4\n5,6\n", directory.path("plain.csv"))
        #expect(HeaderHint.check(plain, options: CSVReadOptions()) == nil)
    }

    @Test func aTitleLineGetsTheHintFromConvertAndInferToo() throws {
        let directory = try TemporaryDirectory()
        let titled = try writeText("시설 현황 (2024년)\n연번,시설명,주소\n1,가,서울\n2,나,부산\n3,다,대구\n", directory.path("titled.csv"))
        let converted = publicaCapturingErrors(["convert", titled, directory.path("out.ndjson")])
        #expect(converted.code == 3)
        #expect(converted.errors.contains("name its line with --header-row N"))
        #expect(publicaCapturingErrors(["infer", titled]).errors.contains("--header-row N"))
        #expect(!publicaCapturingErrors(["convert", titled, directory.path("q.ndjson"), "-q"]).errors.contains("hint"))
    }

    @Test func validationCountsReadAsEnglish() {
        var task = ValidationTask(name: "t", place: "t.csv")
        task.rows = 1
        task.fields = 1
        task.errors = [PublicaValidation.ValidationError(type: "source-error", message: "m", note: "n")]
        #expect(ValidationReport.summary(of: task) == "t.csv: invalid (1 row, 1 field, 1 error)")
    }

    @Test func aMissingTableIsAnIOFailureForEveryCommand() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path("missing.csv")
        #expect(publica(["validate", missing]) == 1)
        #expect(publica(["validate", missing, "--format", "json"]) == 1)
        #expect(publica(["infer", missing]) == 1)
        #expect(publica(["convert", missing, directory.path("out.ndjson"), "-q"]) == 1)
    }

    /// Shell completion offers the values of every option that has a fixed set of them.
    @Test func completionOffersTheValuesOfEveryEnumeratedOption() {
        let script = PublicaCommand.completionScript(for: .bash)
        let options = [
            "--to", "--from", "--on-ragged", "--log-format", "--encoding", "--preset", "--invalid-bytes",
            "--line-ending", "--license", "--format"
        ]
        for option in options {
            #expect(script.contains("'\(option)')\n        __publica_add_completions -W '"), "\(option)")
        }
        #expect(script.contains("'csv'$'\\n''tsv'$'\\n''json'$'\\n''ndjson'$'\\n''xml'$'\\n''xlsx'$'\\n''bulletin'"))
        #expect(script.contains("'auto'$'\\n''utf-8'$'\\n''utf-16'$'\\n''cp949'$'\\n''euc-kr'$'\\n''latin1'"))
    }

    /// `--log-format json`: every line is one JSON object with time, level and message; errors
    /// carry their exit code, and once the file is read, the pipeline.
    @Test func jsonLogLinesCarryTimeLevelAndPipeline() throws {
        let directory = try TemporaryDirectory()
        _ = try writeText("a,b\n\"1,2\n", directory.path("broken.csv"))
        let file = try writeText(
            "version: 1\nname: broken\nsources:\n  s: {path: broken.csv}\noutputs:\n  - {path: out/b/b.csv}\n",
            directory.path("p.yaml"))
        func lines(_ arguments: [String]) -> (Int32, [[String: Any]]) {
            let (code, errors) = publicaCapturingErrors(arguments)
            let objects = errors.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            return (code, objects)
        }
        let (missingCode, missing) = lines(["run", directory.path("nope.yaml"), "--log-format", "json"])
        #expect(missingCode == 64)
        let noFile = try #require(missing.first { ($0["location"] as? String)?.hasSuffix("nope.yaml") == true })
        #expect(noFile["level"] as? String == "error" && noFile["exitCode"] as? Int == 64)
        #expect((noFile["time"] as? String)?.hasSuffix("Z") == true)
        let (brokenCode, broken) = lines(["run", file, "--log-format", "json"])
        #expect(brokenCode == 65)
        let error = try #require(broken.first { $0["pipeline"] as? String == "broken" })
        #expect(error["level"] as? String == "error" && error["exitCode"] as? Int == 65 && error["time"] != nil)
    }

    /// The README's library example, as written, on the sample it names (from the project folder).
    @Test func theReadmesLibraryExampleRuns() throws {
        let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
            .standardized.path
        let directory = try TemporaryDirectory()
        let output = directory.path("airline.ndjson")
        var rejected = 0
        let reader = try CSVReader(
            path: project + "/SampleData/kosis-airline-titled.csv", options: CSVReadOptions(headerRow: 2))
        var sink = NDJSONWriter(file: try OutputFile(path: output))
        try sink.begin(schema: reader.schema)
        while let record = try reader.next(onReject: { _ in rejected += 1 }) {
            try sink.write(record)
        }
        try sink.finish()
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(rejected == 0)
        #expect(text.split(separator: "\n").count == 3696)
        #expect(text.hasPrefix(#"{"시점":"2005.01","항공사별(1)":"아시아나항공""#))
    }
}
