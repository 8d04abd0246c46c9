import Foundation
import PublicaCore
import PublicaPipeline
import PublicaTestSupport
import Testing

@testable import PublicaCommands

/// `validate` and `infer` read every format Publica reads, and agree with frictionless.
struct ValidateFormatsTests {
    static let pipelines = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../Pipelines"
    ).standardized

    /// `frictionless validate --json` in `folder`: whether it says valid.
    func frictionlessSaysValid(_ file: String, in folder: URL) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: frictionlessExecutable!)
        process.arguments = ["validate", "--json", file]
        process.currentDirectoryURL = folder
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let report = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (try JSONSerialization.jsonObject(with: report) as? [String: Any])?["valid"] as? Bool == true
    }

    @Test func everyShippedPipelinesPackageIsValid() throws {
        let directory = try TemporaryDirectory()
        let server = try LoopbackServer(script: "datagokr_server.py")
        let files = try FileManager.default.contentsOfDirectory(atPath: ValidateFormatsTests.pipelines.path).filter {
            $0.hasSuffix(".yaml")
        }
        #expect(files.count >= 3)
        for file in files {
            var options = PipelineRunner.Options()
            options.log = RunLog(quiet: true)
            // The remote source fetches from the test server on loopback, not data.go.kr.
            let loader = PipelineLoader(environment: [
                "PUBLICA_OUT": directory.url.path, "DATA_GO_KR_BASE": server.base + "/ok",
                "DATA_GO_KR_KEY": "test+key/with=chars"
            ])
            let pipeline = try loader.load(path: ValidateFormatsTests.pipelines.appendingPathComponent(file).path)
            #expect(try PipelineRunner(pipeline: pipeline, options: options).run() == .success, "\(file)")
        }
        let packages = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter {
            !$0.hasPrefix(".")
        }
        #expect(packages.count == files.count)
        for package in packages {
            let descriptor = directory.path(package + "/datapackage.json")
            #expect(publica(["validate", descriptor]) == 0, "\(package)")
            if frictionlessReadsNDJSON {
                #expect(
                    try frictionlessSaysValid("datapackage.json", in: directory.url.appendingPathComponent(package)),
                    "\(package)")
            }
        }
    }

    @Test func ndjsonAndJSONTablesAreReadAsSuch() throws {
        let directory = try TemporaryDirectory()
        let schema = try writeText(
            #"{"fields": [{"name": "id", "type": "integer"}, {"name": "kind", "type": "string", "constraints": {"enum": ["A", "B"]}}]}"#,
            directory.path("schema.json"))
        let good = try writeText(
            "{\"id\":1,\"kind\":\"A\"}\n{\"id\":2,\"kind\":\"B\"}\n", directory.path("good.ndjson"))
        let bad = try writeText(
            "{\"id\":1,\"kind\":\"A\"}\n{\"id\":\"x\",\"kind\":\"C\"}\n", directory.path("bad.ndjson"))
        let array = try writeText("[{\"id\":1,\"kind\":\"A\"},{\"id\":2,\"kind\":\"B\"}]", directory.path("good.json"))
        #expect(publica(["validate", good, "--schema", schema]) == 0)
        #expect(publica(["validate", array, "--schema", schema]) == 0)
        #expect(publica(["validate", good]) == 0, "structure only: the schema is inferred from the records")
        #expect(publica(["validate", bad, "--schema", schema]) == 65)
        if frictionlessReadsNDJSON {
            #expect(try frictionlessSaysValid("good.ndjson", in: directory.url))
        }
    }

    @Test func xmlIsValidatedThroughItsPreset() throws {
        let xml = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../SampleData/get24DivisionsInfo_2021.xml"
        )
        .standardized.path
        #expect(publica(["validate", xml, "--preset", "datagokr"]) == 0)
        #expect(
            publica(["validate", xml]) == 65 || publica(["validate", xml]) == 64, "no record path: an error, not CSV")
    }

    @Test(arguments: ["table.csv", "table.ndjson"])
    func jsonReportsAreJSONForEveryFormat(file: String) throws {
        let directory = try TemporaryDirectory()
        let schema = try writeText(#"{"fields": [{"name": "n", "type": "integer"}]}"#, directory.path("schema.json"))
        let table = try writeText(
            file.hasSuffix(".csv") ? "n\n1\nx\n" : "{\"n\":1}\n{\"n\":\"x\"}\n", directory.path(file))
        let result = try runPublicaBinary(
            ["validate", table, "--schema", schema, "--format", "json"], standardOutput: directory.path("report.json"))
        #expect(result.code == 65, "\(result.errors)")
        let report =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: directory.url.appendingPathComponent("report.json"))) as? [String: Any]
        #expect(report?["valid"] as? Bool == false)
        let errors = ((report?["tasks"] as? [[String: Any]])?.first?["errors"] as? [[String: Any]]) ?? []
        #expect(
            errors.count == 1 && errors.first?["type"] as? String == "type-error"
                && errors.first?["rowNumber"] as? Int == 3)
    }
}
