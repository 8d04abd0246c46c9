import Foundation
import PublicaTestSupport
import Testing

/// `--log-format` on every command, through the real binary (standard error read through a
/// pipe, standard output into a file): with json, every line on standard error is one JSON
/// object with time, level and message, and standard output holds the command's data only.
struct LogFormatTests {
    /// Each line of `text` as a JSON object; nil when any line is not one.
    static func objects(_ text: String) -> [[String: Any]]? {
        var objects: [[String: Any]] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                return nil
            }
            objects.append(object)
        }
        return text.isEmpty || text.hasSuffix("\n") ? objects : nil
    }

    /// `2026-12-01T03:00:00.123Z`.
    static func isTimestamp(_ value: Any?) -> Bool {
        guard let text = value as? String else { return false }
        return text.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil
    }

    /// A missing input: one error line with its exit code and location, for every command.
    @Test(arguments: [
        (["convert", "missing.csv", "out.ndjson"], Int32(1), "missing.csv"),
        (["validate", "missing.csv"], 1, "missing.csv"),
        (["validate", "missing.csv", "--format", "json"], 1, "missing.csv"),
        (["infer", "missing.csv"], 1, "missing.csv"),
        (["check", "missing.yaml"], 64, "missing.yaml"),
        (["run", "missing.yaml"], 64, "missing.yaml")
    ])
    func aMissingInputIsOneJSONErrorLine(arguments: [String], code: Int32, missing: String) throws {
        let directory = try TemporaryDirectory()
        let paths = arguments.map { $0.contains(".") ? directory.path($0) : $0 }
        let stdout = directory.path("stdout")
        let result = try runPublicaBinary(paths + ["--log-format", "json"], standardOutput: stdout)
        #expect(result.code == code)
        let lines = try #require(LogFormatTests.objects(result.errors), "not JSON lines: \(result.errors)")
        #expect(lines.count == 1, "\(result.errors)")
        let line = try #require(lines.first)
        #expect(LogFormatTests.isTimestamp(line["time"]))
        #expect(line["level"] as? String == "error")
        #expect((line["message"] as? String)?.contains("No such file or directory") == true)
        #expect(line["exitCode"] as? Int == Int(code))
        #expect((line["location"] as? String) == directory.path(missing))
        #expect(try String(contentsOfFile: stdout, encoding: .utf8) == "")
        // The same failure in text, as it always read.
        let text = try runPublicaBinary(paths, standardOutput: stdout)
        #expect(text.code == code)
        #expect(
            text.errors.hasPrefix("publica: \(directory.path(missing)): error: ")
                && text.errors.hasSuffix("No such file or directory\n")
                && text.errors.split(separator: "\n").count == 1, "\(text.errors)")
    }

    /// convert's summary is an info line with the counts as numbers; into `-`, standard output is
    /// the data alone; `-q` leaves it out.
    @Test func convertsSummaryIsAJSONLine() throws {
        let directory = try TemporaryDirectory()
        let input = try writeText("a,b\n1,2\n3,4\n5\n", directory.path("in.csv"))
        let output = directory.path("out.ndjson")
        let converted = try runPublicaBinary(["convert", input, output, "--log-format", "json"])
        #expect(converted.code == 3)
        let line = try #require(LogFormatTests.objects(converted.errors)?.first, "\(converted.errors)")
        #expect(LogFormatTests.objects(converted.errors)?.count == 1)
        #expect(LogFormatTests.isTimestamp(line["time"]) && line["level"] as? String == "info")
        #expect(
            line["message"] as? String == "\(input) -> \(output): 2 records written, 1 rejected (see "
                + "\(directory.path("out.rejects.ndjson")))")
        #expect(line["written"] as? Int == 2 && line["rejected"] as? Int == 1 && line["dropped"] as? Int == 0)
        #expect(line["input"] as? String == input && line["output"] as? String == output)
        #expect(line["rejects"] as? String == directory.path("out.rejects.ndjson"))

        let clean = try writeText("a,b\n1,2\n", directory.path("clean.csv"))
        let stdout = directory.path("stdout")
        let piped = try runPublicaBinary(
            ["convert", clean, "-", "--to", "ndjson", "--rejects", directory.path("r.ndjson"), "--log-format", "json"],
            standardOutput: stdout)
        #expect(piped.code == 0)
        #expect(try String(contentsOfFile: stdout, encoding: .utf8) == #"{"a":"1","b":"2"}"# + "\n")
        let summary = try #require(LogFormatTests.objects(piped.errors)?.first, "\(piped.errors)")
        #expect(summary["written"] as? Int == 1 && summary["output"] as? String == "-")

        let quiet = try runPublicaBinary(["convert", clean, directory.path("q.ndjson"), "--log-format", "json", "-q"])
        #expect(quiet.code == 0 && quiet.errors == "")
        // Text, as it always read.
        let text = try runPublicaBinary(["convert", clean, directory.path("t.ndjson")])
        #expect(
            text.code == 0 && text.errors == "publica: \(clean) -> \(directory.path("t.ndjson")): 1 record written\n")
    }

    /// A hint is a warning line; validate's and infer's reports stay alone on standard output.
    @Test func hintsAreWarningLinesAndReportsStayOnStandardOutput() throws {
        let directory = try TemporaryDirectory()
        let titled = try writeText("시설 현황\n연번,시설명,주소\n1,가,서울\n2,나,부산\n3,다,대구\n", directory.path("titled.csv"))
        let stdout = directory.path("stdout")
        for arguments in [["infer", titled], ["validate", titled, "--format", "json"]] {
            let result = try runPublicaBinary(arguments + ["--log-format", "json"], standardOutput: stdout)
            #expect(result.code == (arguments[0] == "infer" ? 0 : 65))
            let lines = try #require(LogFormatTests.objects(result.errors), "\(result.errors)")
            #expect(lines.count == 1)
            #expect(lines.first?["level"] as? String == "warning" && LogFormatTests.isTimestamp(lines.first?["time"]))
            #expect(
                (lines.first?["message"] as? String)?.hasPrefix("line 1 has 1 field but the rows below have 3") == true)
            let report = try Data(contentsOf: URL(fileURLWithPath: stdout))
            #expect(try JSONSerialization.jsonObject(with: report) is [String: Any], "\(arguments[0])'s output is JSON")
            let text = try runPublicaBinary(arguments, standardOutput: stdout)
            #expect(
                text.errors.hasPrefix("publica: hint: line 1 has 1 field")
                    && text.errors.hasSuffix("--header-row auto find it\n"))
        }
    }

    /// check's report stays on standard output in either format; a JSON log also has each problem
    /// (file, line, column, exit code) as an error line, which a text log leaves to the report.
    @Test func checksProblemsAreAlsoJSONLines() throws {
        let directory = try TemporaryDirectory()
        let file = try writeText(
            "version: 1\nname: p\nsources:\n  s: {path: in.csv, bogus: 1}\noutputs:\n  - {path: out/a.csv}\n",
            directory.path("p.yaml"))
        let stdout = directory.path("stdout")
        // Two problems: the unknown key, and the source's file, which is not there.
        let report =
            "\(file):4:21: error: unknown key 'bogus' in source 's'\n"
            + "\(file):4:13: error: no such file: \(directory.path("in.csv"))\n"
        let json = try runPublicaBinary(["check", file, "--log-format", "json"], standardOutput: stdout)
        #expect(json.code == 64)
        #expect(try String(contentsOfFile: stdout, encoding: .utf8) == report)
        let line = try #require(LogFormatTests.objects(json.errors)?.first, "\(json.errors)")
        #expect(LogFormatTests.objects(json.errors)?.count == 2)
        #expect(LogFormatTests.objects(json.errors)?.last?["column"] as? Int == 13)
        #expect(line["level"] as? String == "error" && LogFormatTests.isTimestamp(line["time"]))
        #expect(line["message"] as? String == "unknown key 'bogus' in source 's'")
        #expect(line["file"] as? String == file && line["line"] as? Int == 4 && line["column"] as? Int == 21)
        #expect(line["exitCode"] as? Int == 64)
        let text = try runPublicaBinary(["check", file], standardOutput: stdout)
        #expect(text.code == 64 && text.errors == "")
        #expect(try String(contentsOfFile: stdout, encoding: .utf8) == report)
    }

    /// An unknown format is refused, in text (the format asked for is not one to write in).
    @Test(arguments: ["run", "check", "convert", "validate", "infer"])
    func anUnknownLogFormatIsRefused(command: String) throws {
        let directory = try TemporaryDirectory()
        let names =
            command == "convert" ? ["a.csv", "b.csv"] : [command == "run" || command == "check" ? "p.yaml" : "a.csv"]
        let result = try runPublicaBinary([command] + names.map { directory.path($0) } + ["--log-format", "xml"])
        #expect(result.code == 64)
        #expect(result.errors == "publica: error: --log-format must be text or json\n")
    }
}
