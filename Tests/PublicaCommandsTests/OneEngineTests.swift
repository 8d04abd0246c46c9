import Foundation
import PublicaCore
import PublicaTestSupport
import Testing

@testable import PublicaCommands

/// `convert` is a one-source run of the engine `run` uses: the same input gives the same bytes
/// either way, with and without a schema, and the same rejects.
struct OneEngineTests {
    static let schema = """
        {"fields": [
          {"name": "시점", "type": "string", "constraints": {"required": true, "pattern": "[0-9]{4}\\\\.0[1-6]"}},
          {"name": "항공사별(1)", "type": "string"},
          {"name": "도착출발별(1)", "type": "string", "constraints": {"enum": ["도착", "출발"]}},
          {"name": "운항 (편)", "type": "integer"},
          {"name": "여객 (명)", "type": "integer", "constraints": {"minimum": 0}},
          {"name": "화물 (톤)", "type": "integer"}
        ]}
        """

    func pipeline(steps: String, format: String) -> String {
        """
        version: 1
        name: airline
        sources:
          airline: {path: airline.csv}
        \(steps.isEmpty ? "" : "schema: schema.json\nsteps:\n  - \(steps)")
        outputs:
          - {path: out/airline.\(format)}
        """
    }

    @Test(arguments: ["ndjson", "csv", "json"], [false, true])
    func convertAndRunWriteTheSameBytes(format: String, withSchema: Bool) throws {
        let directory = try TemporaryDirectory()
        try Fixtures.data("korean-csv/kosis-airline-company.csv").write(
            to: directory.url.appendingPathComponent("airline.csv"))
        try OneEngineTests.schema.write(toFile: directory.path("schema.json"), atomically: false, encoding: .utf8)
        try pipeline(steps: withSchema ? "cast: {}" : "", format: format)
            .write(toFile: directory.path("p.yaml"), atomically: false, encoding: .utf8)
        var arguments = ["convert", directory.path("airline.csv"), directory.path("converted.\(format)"), "-q"]
        if withSchema { arguments += ["--schema", directory.path("schema.json")] }
        let converted = publica(arguments)
        let ran = publica(["run", directory.path("p.yaml"), "-q"])
        #expect(converted == (withSchema ? 3 : 0) && ran == converted)
        let a = try Data(contentsOf: directory.url.appendingPathComponent("converted.\(format)"))
        let b = try Data(contentsOf: directory.url.appendingPathComponent("out/airline.\(format)"))
        #expect(a.count > 50_000 && a == b, "\(a.count) bytes")
        if withSchema {
            // The same records rejected, for the same reasons (the schema allows January to June only).
            let rejectsA = try String(contentsOfFile: directory.path("converted.rejects.ndjson"), encoding: .utf8)
            let rejectsB = try String(contentsOfFile: directory.path("out/airline.rejects.ndjson"), encoding: .utf8)
            #expect(!rejectsA.isEmpty && rejectsA == rejectsB)
        }
    }

    @Test func convertsStepFlagsAreThePipelinesSteps() throws {
        let directory = try TemporaryDirectory()
        try Fixtures.data("korean-csv/kosis-airline-company.csv").write(
            to: directory.url.appendingPathComponent("airline.csv"))
        let steps = """
            filter: {"도착출발별(1)": {eq: 도착}, "운항 (편)": {ge: "8000"}}
              - select: [시점, "운항 (편)"]
              - rename: {"운항 (편)": flights}
              - head: 5
            """
        try pipeline(steps: "", format: "ndjson").replacingOccurrences(
            of: "outputs:", with: "steps:\n  - \(steps)\noutputs:"
        )
        .write(toFile: directory.path("p.yaml"), atomically: false, encoding: .utf8)
        #expect(
            publica([
                "convert", directory.path("airline.csv"), directory.path("converted.ndjson"), "-q",
                "--filter", "도착출발별(1)=도착", "--filter", "운항 (편)>=8000", "--select", "시점,운항 (편)",
                "--rename", "운항 (편)=flights", "--head", "5"
            ]) == 0)
        #expect(publica(["run", directory.path("p.yaml"), "-q"]) == 0)
        let converted = try String(contentsOfFile: directory.path("converted.ndjson"), encoding: .utf8)
        #expect(
            converted.split(separator: "\n").count == 5 && converted.hasPrefix(#"{"시점":"2005.01","flights":"8869"}"#),
            "\(converted)")
        #expect(try converted == String(contentsOfFile: directory.path("out/airline.ndjson"), encoding: .utf8))
    }

    @Test func badStepFlagsAreUsageErrors() throws {
        let directory = try TemporaryDirectory()
        let input = try writeText("a,b\n1,2\n", directory.path("in.csv"))
        for flags in [["--filter", "a"], ["--filter", "=1"], ["--rename", "a"], ["--select", "nope"], ["--head", "-1"]]
        {
            #expect(publica(["convert", input, directory.path("out.ndjson"), "-q"] + flags) == 64, "\(flags)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path("out.ndjson")))
    }
}
