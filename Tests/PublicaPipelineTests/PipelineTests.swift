import Foundation
import Logging
import PublicaCore
import PublicaJSON
import PublicaPipeline
import PublicaTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A pipeline folder in a temporary directory: data, pipeline file, outputs under `out/`.
final class PipelineFolder {
    let directory: TemporaryDirectory

    init(data: String, pipeline: String) throws {
        directory = try TemporaryDirectory()
        try data.write(toFile: directory.path("data.csv"), atomically: false, encoding: .utf8)
        try pipeline.write(toFile: directory.path("pipeline.yaml"), atomically: false, encoding: .utf8)
    }

    func run(_ configure: (inout PipelineRunner.Options) -> Void = { _ in }) throws -> PublicaCore.ExitStatus {
        var options = PipelineRunner.Options()
        options.log = RunLog(quiet: true)
        configure(&options)
        return try PipelineRunner(
            pipeline: try PipelineLoader().load(path: directory.path("pipeline.yaml")), options: options
        ).run()
    }

    func output(_ name: String) throws -> String {
        try String(contentsOfFile: directory.path("out/" + name), encoding: .utf8)
    }
}

let sampleRegistry = """
    id,name,amount,kind
    1,가,"1,000",A
    2,나,"2,500",B
    3,다,x,A
    3,라,"3,000",A
    """

let sampleRegistryPipeline = """
    version: 1
    name: registry
    sources:
      registry: {path: data.csv}
    schema:
      fields:
        - {name: id, type: integer}
        - {name: name, type: string}
        - {name: amount, type: integer, groupChar: ","}
        - {name: kind, type: string}
    steps:
      - cast: {}
      - dedupe: {key: [id]}
      - filter: {kind: {in: [A, B]}}
      - derive: {label: {concat: [name, "-", kind]}, origin: {source: line}}
    outputs:
      - {path: out/registry.csv}
      - {path: out/registry.ndjson}
      - {path: out/datapackage.json}
    quality: {max_reject_ratio: 0.5}
    """

struct PipelineRunTests {
    @Test func runsStepsIntoEveryOutputWithAReportThatBalances() throws {
        let folder = try PipelineFolder(data: sampleRegistry, pipeline: sampleRegistryPipeline)
        #expect(try folder.run() == .publishedWithRejects)
        #expect(
            try folder.output("registry.ndjson") == """
                {"id":1,"name":"가","amount":1000,"kind":"A","label":"가-A","origin":2}
                {"id":2,"name":"나","amount":2500,"kind":"B","label":"나-B","origin":3}
                {"id":3,"name":"라","amount":3000,"kind":"A","label":"라-A","origin":5}

                """)
        let rejects = try folder.output("registry.rejects.ndjson")
        #expect(rejects.contains(#""rule":"type-error""#) && rejects.contains(#""line":4"#))
        let report =
            try JSONSerialization.jsonObject(with: Data(try folder.output("run-report.json").utf8)) as! [String: Any]
        let records = report["records"] as! [String: Int]
        #expect(records["read"] == 4 && records["written"] == 3 && records["rejected"] == 1 && records["dropped"] == 0)
        #expect(records["read"] == records["written"]! + records["rejected"]! + records["dropped"]!)
        #expect((report["outputs"] as! [[String: Any]]).count == 2)
        #expect(report["exitCode"] as? Int == 3)
        let package =
            try JSONSerialization.jsonObject(with: Data(try folder.output("datapackage.json").utf8)) as! [String: Any]
        let fields =
            ((package["resources"] as! [[String: Any]])[0]["schema"] as! [String: Any])["fields"] as! [[String: Any]]
        #expect(fields.map { $0["type"] as? String } == ["integer", "string", "integer", "string", "string", "integer"])
    }

    /// A second run with nothing changed does nothing, and outputs are byte-identical run to run.
    @Test func unchangedInputsMeanNothingToDoAndRunsAreReproducible() throws {
        let folder = try PipelineFolder(data: sampleRegistry, pipeline: sampleRegistryPipeline)
        _ = try folder.run()
        let first = try folder.output("registry.csv")
        let report = try folder.output("run-report.json")
        #expect(try folder.run() == .success)
        #expect(try folder.output("run-report.json") == report)  // untouched: nothing ran
        #expect(try folder.run { $0.fullRefresh = true } == .publishedWithRejects)
        #expect(try folder.output("registry.csv") == first)
        // A touched input (new time, same bytes) still has nothing to do: the refreshed run's
        // report (its own times) stays as it is.
        let refreshed = try folder.output("run-report.json")
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: 60)],
            ofItemAtPath: folder.directory.path("data.csv"))
        #expect(try folder.run() == .success)
        #expect(try folder.output("run-report.json") == refreshed)
        // An edited pipeline runs again (a run, not "nothing to do", returns 3 here).
        let state = try folder.output(".publica-state.json")
        try (sampleRegistryPipeline + "\n# edited\n").write(
            toFile: folder.directory.path("pipeline.yaml"), atomically: false, encoding: .utf8)
        #expect(try folder.run() == .publishedWithRejects)
        #expect(try folder.output(".publica-state.json") != state)
    }

    /// A failed gate publishes nothing: the previous outputs stay byte for byte.
    @Test func failedQualityGateLeavesPreviousOutputs() throws {
        let folder = try PipelineFolder(data: sampleRegistry, pipeline: sampleRegistryPipeline)
        _ = try folder.run()
        let before = try folder.output("registry.ndjson")
        try "id,name,amount,kind\n1,가,x,A\n2,나,y,B\n".write(
            toFile: folder.directory.path("data.csv"), atomically: false, encoding: .utf8)
        #expect(try folder.run() == .qualityGateFailed)
        #expect(try folder.output("registry.ndjson") == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.directory.url.path).filter {
            $0.contains("staging")
        }
        #expect(leftovers.isEmpty)
    }

    @Test func aSecondRunWhileTheLockIsHeldExits75() throws {
        let folder = try PipelineFolder(data: sampleRegistry, pipeline: sampleRegistryPipeline)
        let lock = open(folder.directory.path(".out.publica.lock"), O_RDWR | O_CREAT, 0o644)
        defer { close(lock) }
        #expect(flock(lock, LOCK_EX | LOCK_NB) == 0)
        let error = #expect(throws: PublicaError.self) { try folder.run() }
        #expect(error?.exitStatus == .locked)
        flock(lock, LOCK_UN)
        #expect(try folder.run() == .publishedWithRejects)
    }

    /// `on_error` per field: `null` keeps the record with the field empty, `fail` stops the run.
    @Test func onErrorPerField() throws {
        let nulling = try PipelineFolder(
            data: sampleRegistry,
            pipeline: sampleRegistryPipeline.replacingOccurrences(
                of: "  - cast: {}", with: "  - cast: {on_error: {amount: \"null\"}}"))
        #expect(try nulling.run() == .success)
        #expect(try nulling.output("registry.ndjson").contains(#"{"id":3,"name":"다","amount":null,"kind":"A""#))
        let failing = try PipelineFolder(
            data: sampleRegistry,
            pipeline: sampleRegistryPipeline.replacingOccurrences(
                of: "  - cast: {}", with: "  - cast: {on_error: {amount: fail}}"))
        let error = #expect(throws: PublicaError.self) { try failing.run() }
        #expect(error?.exitStatus == .dataError)
        #expect(error?.location?.line == 4 && error?.location?.field == "amount")
        #expect(!FileManager.default.fileExists(atPath: failing.directory.path("out")))
    }

    /// A FIFO (or any stream) is read once, by the run itself: it is not hashed beforehand,
    /// so no record is lost, and the next run always has something to do.
    // The limit guards against a hang only: its clock runs while the test waits for a free thread
    // of the shared pool, and a loaded two-core CI machine once needed more than a minute.
    @Test(.timeLimit(.minutes(10))) func aFIFOInputIsReadWholeAndNeverSkipped() throws {
        let folder = try PipelineFolder(
            data: "",
            pipeline: sampleRegistryPipeline.replacingOccurrences(
                of: "registry: {path: data.csv}", with: "registry: {path: data.fifo, format: csv}"))
        let fifo = folder.directory.path("data.fifo")
        for _ in 0..<2 {
            #expect(mkfifo(fifo, 0o600) == 0)
            let writer = Thread {
                let fd = open(fifo, O_WRONLY)
                _ = Array(sampleRegistry.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                close(fd)
            }
            writer.start()
            #expect(try folder.run() == .publishedWithRejects)
            #expect(try folder.output("registry.ndjson").split(separator: "\n").count == 3)
            unlink(fifo)
        }
    }

    /// `validate` checks typed values it did not cast (JSON numbers), and keeps those a `cast`
    /// before it typed (`true` from a `Y`/`N` field would not read back as `Y`).
    @Test func validateChecksTypedValuesUnlessACastTypedThem() throws {
        let pipeline = """
            version: 1
            name: typed
            sources:
              people: {path: people.ndjson}
            schema:
              fields:
                - {name: id, type: integer, constraints: {maximum: 3}}
                - {name: ok, type: boolean, trueValues: ["Y", "true"], falseValues: ["N"]}
            steps:
              - STEPS
            outputs:
              - {path: out/people.ndjson}
            """
        let folder = try PipelineFolder(
            data: "", pipeline: pipeline.replacingOccurrences(of: "STEPS", with: "validate: {}"))
        try #"{"id": 1, "ok": "Y"}\#n{"id": 5, "ok": "N"}\#n{"id": "7", "ok": "Y"}\#n"#
            .write(toFile: folder.directory.path("people.ndjson"), atomically: false, encoding: .utf8)
        #expect(try folder.run() == .publishedWithRejects)
        #expect(try folder.output("people.ndjson") == #"{"id":1,"ok":"Y"}"# + "\n")  // checked, kept as it came
        try pipeline.replacingOccurrences(of: "STEPS", with: "cast: {}\n  - validate: {}")
            .write(toFile: folder.directory.path("pipeline.yaml"), atomically: false, encoding: .utf8)
        #expect(try folder.run { $0.fullRefresh = true } == .publishedWithRejects)
        #expect(try folder.output("people.ndjson") == #"{"id":1,"ok":true}"# + "\n")
    }

    /// A pipeline's user is told the source key to change, not a flag they cannot pass.
    @Test func limitMessagesNameThePipelineKey() throws {
        let long = "id,text\n1," + String(repeating: "x", count: 4096) + "\n"
        let folder = try PipelineFolder(
            data: long,
            pipeline: """
                version: 1
                name: long
                sources:
                  data: {path: data.csv, max_record_size: 1KiB}
                outputs:
                  - {path: out/long.ndjson}
                """)
        let error = #expect(throws: PublicaError.self) { try folder.run() }
        #expect(error?.message.contains("max_record_size raises it") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("--") == false)
        #expect(error?.template.contains("{--max-record-size}") == true)
    }

    /// With the steps on their own thread, the first problem in input order is the one reported:
    /// a step's `fail` at line 6 comes before a ragged row (a reading error) at line 9001.
    @Test func theFirstProblemInInputOrderIsReported() throws {
        var data = "id,amount\n"
        for row in 1...10_000 { data += row == 5 ? "5,x\n" : row == 9000 ? "9000\n" : "\(row),\(row)\n" }
        let folder = try PipelineFolder(
            data: data,
            pipeline: """
                version: 1
                name: order
                sources:
                  data: {path: data.csv, on_ragged: error}
                schema:
                  fields:
                    - {name: id, type: integer}
                    - {name: amount, type: integer}
                steps:
                  - cast: {on_error: {amount: fail}}
                outputs:
                  - {path: out/order.ndjson}
                """)
        let error = #expect(throws: PublicaError.self) { try folder.run() }
        #expect(error?.location?.line == 6 && error?.location?.field == "amount", "\(String(describing: error))")
    }

    @Test func dryRunWritesNothing() throws {
        let folder = try PipelineFolder(data: sampleRegistry, pipeline: sampleRegistryPipeline)
        #expect(
            try folder.run {
                $0.dryRun = true; $0.limit = 1
            } == .success)
        #expect(!FileManager.default.fileExists(atPath: folder.directory.path("out")))
    }

    @Test func environmentVariablesWithDefaults() throws {
        let loader = PipelineLoader(environment: ["SET": "value", "EMPTY": ""])
        #expect(loader.expand("${SET}/${UNSET:-fallback}/${EMPTY:-empty}/${UNSET}") == "value/fallback/empty/")
    }
}

struct PipelineCheckTests {
    func problems(_ text: String) throws -> [Diagnostic] {
        let directory = try TemporaryDirectory()
        try "a\n1\n".write(toFile: directory.path("data.csv"), atomically: false, encoding: .utf8)
        try text.write(toFile: directory.path("p.yaml"), atomically: false, encoding: .utf8)
        do {
            _ = try PipelineLoader().load(path: directory.path("p.yaml"))
            return []
        } catch let problems as PipelineProblems {
            return problems.diagnostics
        }
    }

    @Test func aTypoInAKeyIsNamedWithItsPlaceAndASuggestion() throws {
        let found = try problems(
            "version: 1\nsources:\n  a: {path: data.csv, encodng: cp949}\noutputs:\n  - {path: out/a.csv}\n")
        #expect(found.count == 1)
        #expect(found[0].location?.line == 3 && found[0].location?.column == 23)
        #expect(found[0].message == "unknown key 'encodng' in source 'a'; did you mean 'encoding'?")
    }

    @Test func wrongIndentationIsAYAMLErrorWithItsPlace() throws {
        let found = try problems(
            "version: 1\nsources:\n  a:\n    path: data.csv\n   format: csv\noutputs:\n  - {path: out/a.csv}\n")
        #expect(found.count == 1)
        #expect(found[0].location?.line == 5)
        #expect(found[0].message.hasPrefix("invalid YAML"))
    }

    @Test func anUnknownStepAndAMissingFile() throws {
        let found = try problems(
            "version: 1\nsources:\n  a: {path: missing.csv}\nsteps:\n  - dedup: {key: [a]}\noutputs:\n  - {path: out/a.csv}\n"
        )
        #expect(found.contains { $0.location?.line == 3 && $0.message.contains("no such file") })
        #expect(
            found.contains {
                $0.location?.line == 5 && $0.location?.column == 5
                    && $0.message == "unknown step 'dedup'; did you mean 'dedupe'?"
            })
    }

    @Test func tabsForIndentationAreAYAMLErrorWithTheirPlace() throws {
        let found = try problems("version: 1\nsources:\n\ta: {path: data.csv}\noutputs:\n  - {path: out/a.csv}\n")
        #expect(found.count == 1)
        #expect(
            found.first.map {
                $0.location?.line == 3 && $0.location?.column == 1 && $0.message.hasPrefix("invalid YAML")
            } == true,
            "\(found)")
    }

    /// Nine levels of nine aliases (387 million leaves if expanded): refused with diagnostics,
    /// nothing expanded (expanding it would blow the time limit, not just be slow).
    // The limit guards against a hang only: its clock runs while the test waits for a free thread
    // of the shared pool, and a loaded two-core CI machine once needed more than a minute.
    @Test(.timeLimit(.minutes(10))) func aYAMLAliasBombIsRefusedWithoutExpansion() throws {
        var bomb = "  l0: &l0 [\(Array(repeating: "\"lol\"", count: 9).joined(separator: ","))]\n"
        for level in 1...9 {
            bomb += "  l\(level): &l\(level) [\(Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ","))]\n"
        }
        // The anchors come first, so the steps' aliases really refer to the bomb.
        let found = try problems(
            "version: 1\nx-bomb:\n" + bomb + "sources:\n  a: {path: data.csv}\n"
                + "steps:\n  - select: *l9\n  - filter: {a: {in: *l9}}\noutputs:\n  - {path: out/a.csv}\n")
        #expect(found.contains { $0.message.contains("unknown key 'x-bomb'") })
        #expect(found.contains { $0.message == "select takes plain values, not a nested list or mapping" })
        // Each alias is one node: at most one diagnostic per alias written, not per leaf.
        #expect(found.count < 100, "\(found.count) diagnostics")
    }

    /// A nested list where plain values belong is an error at its place, not silently dropped.
    @Test func nestedListsInStepsAreErrors() throws {
        let found = try problems(
            "version: 1\nsources:\n  a: {path: data.csv}\nsteps:\n  - select: [[a]]\n"
                + "  - filter: {a: {in: [1, [2]]}}\n  - dedupe: {key: {a: 1}}\noutputs:\n  - {path: out/a.csv}\n")
        #expect(found.contains { $0.location?.line == 5 && $0.message.hasPrefix("select takes plain values") })
        #expect(found.contains { $0.location?.line == 6 && $0.message.hasPrefix("in takes plain values") })
        #expect(found.contains { $0.location?.line == 7 && $0.message.hasPrefix("dedupe key takes a list") })
    }

    @Test func aSourceWhoseFormatCannotBeToldFromItsName() throws {
        let directory = try TemporaryDirectory()
        try "a\n1\n".write(toFile: directory.path("export"), atomically: false, encoding: .utf8)
        let yaml =
            "version: 1\nsources:\n  a: {path: export}\n  b: {path: export, format: cvs}\noutputs:\n  - {path: out/a.csv}\n"
        try yaml.write(toFile: directory.path("p.yaml"), atomically: false, encoding: .utf8)
        #expect(throws: PipelineProblems.self) { try PipelineLoader().load(path: directory.path("p.yaml")) }
        do {
            _ = try PipelineLoader().load(path: directory.path("p.yaml"))
        } catch let problems as PipelineProblems {
            #expect(
                problems.diagnostics.contains {
                    $0.location?.line == 3 && $0.message.hasPrefix("cannot tell the format of 'export'")
                })
            #expect(
                problems.diagnostics.contains { $0.location?.line == 4 && $0.message.contains("did you mean 'csv'?") })
        }
    }

    /// Inputs the pipeline fuzzer found problems with (Fuzz/run.sh replays them too): each is
    /// now refused with a diagnostic. The empty file leaked a buffer inside Foundation's reader.
    @Test func fuzzRegressionsAreRefusedCleanly() throws {
        for name in try Fixtures.files(in: "fuzz-regressions/FuzzPipeline") {
            let directory = try TemporaryDirectory()
            try Fixtures.data("fuzz-regressions/FuzzPipeline/" + name).write(
                to: directory.url.appendingPathComponent("p.yaml"))
            #expect(throws: (any Error).self, "\(name)") { try PipelineLoader().load(path: directory.path("p.yaml")) }
        }
    }

    @Test func theShippedPipelinesAreValid() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Pipelines"
        ).standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 3)
        // A key for the remote source's ${DATA_GO_KR_KEY} (loading sends nothing).
        let environment = ProcessInfo.processInfo.environment.merging(["DATA_GO_KR_KEY": "k"]) { $1 }
        for file in files {
            _ = try PipelineLoader(environment: environment).load(path: folder.appendingPathComponent(file).path)
        }
    }
}

/// A step of one's own, through the public API only, as an outside package would write it.
struct Uppercase: PipelineStep {
    let name = "uppercase"
    var field: String
    private var index = 0

    init(field: String) { self.field = field }

    mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        index = schema.fieldNames.firstIndex(of: field)!
        return schema
    }

    mutating func process(_ record: Record) throws -> StepResult {
        var record = record
        record.values[index] = .text((record.values[index].textValue ?? "").uppercased())
        return .keep(record)
    }
}

struct LibraryUseTests {
    @Test func aPipelineBuiltInCodeWithACustomStep() throws {
        let folder = try PipelineFolder(data: "code,name\nab,x\ncd,y\n", pipeline: "")
        let pipeline = Pipeline(
            file: folder.directory.path("data.csv"), name: "in-code",
            sources: [
                Pipeline.Source(
                    name: "data", format: "csv", path: folder.directory.path("data.csv"), options: SourceOptions(),
                    resource: nil)
            ],
            schema: nil, steps: [Uppercase(field: "code"), SelectStep(fields: ["code"])],
            outputs: [
                Pipeline.Output(path: folder.directory.path("out/codes.ndjson"), format: "ndjson", isDirectory: false)
            ])
        var options = PipelineRunner.Options()
        options.log = RunLog(quiet: true)
        #expect(try PipelineRunner(pipeline: pipeline, options: options).run() == .success)
        #expect(try folder.output("codes.ndjson") == "{\"code\":\"AB\"}\n{\"code\":\"CD\"}\n")
    }
}

/// A library caller's `Logger` gets the run's events (swift-log's rule: the program picks the handler).
struct RunLogTests {
    final class Captured: @unchecked Sendable {
        var events: [(Logger.Level, String, Logger.Metadata?)] = []
    }

    struct CapturingHandler: LogHandler {
        let captured: Captured
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { captured.events.append((event.level, event.message.description, event.metadata)) }
    }

    @Test func aCallersLoggerGetsTheEventsAndErrorsWithTheirLine() throws {
        let captured = Captured()
        let log = RunLog(logger: Logger(label: "test") { _ in CapturingHandler(captured: captured) })
        let folder = try PipelineFolder(data: sampleRegistry, pipeline: sampleRegistryPipeline)
        #expect(try folder.run { $0.log = log } == .publishedWithRejects)
        #expect(captured.events.contains { $0.0 == .info && $0.1.hasPrefix("published") })
        log.error("boom", line: "p.yaml:3:4: error: boom")
        #expect(captured.events.last.map { $0.0 == .error && $0.2?["line"] == "p.yaml:3:4: error: boom" } == true)
        #expect(!log.showsProgress)
    }
}

/// The example in INTERFACE.md (the user-facing contract) is a valid pipeline file as written.
struct InterfaceExampleTests {
    @Test func theContractsExampleRuns() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(
            atPath: directory.path("pipelines/schemas"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory.path("SampleData"), withIntermediateDirectories: true)
        // A CP949 registry with a title row, as the example expects.
        let text =
            "시설 지원금 현황\nid,시설명,주소,지원금액,신청일자\n1,행복경로당,서울 종로구,\"1,234,000\",2022.09.02\n1,행복경로당,서울 종로구,\"1,234,000\",2022.09.02\n2,햇살어린이집,부산 중구,\"500,000\",2022.10.01\n"
        try Data(Array(text.utf8)).write(to: URL(fileURLWithPath: directory.path("SampleData/registry.csv")))
        let iconv = Process()
        iconv.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        iconv.arguments = [
            "-f", "UTF-8", "-t", "CP949", "-o", directory.path("SampleData/registry-cp949.csv"),
            directory.path("SampleData/registry.csv")
        ]
        try iconv.run()
        iconv.waitUntilExit()
        try """
        {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}, {"name": "address", "type": "string"},
                    {"name": "지원금액", "type": "integer", "groupChar": ","}, {"name": "신청일자", "type": "date", "format": "%Y.%m.%d"}]}
        """.write(toFile: directory.path("pipelines/schemas/registry.schema.json"), atomically: false, encoding: .utf8)
        // The example from INTERFACE.md, verbatim.
        try """
        version: 1
        name: facility-registry
        sources:
          registry:
            format: csv
            path: ../SampleData/registry-cp949.csv   # relative to this file
            encoding: auto
            header_row: 2                             # a title row above the header
        schema: schemas/registry.schema.json          # Frictionless Table Schema (inline also allowed)
        steps:
          - rename: {시설명: name, 주소: address}
          - cast: {}                                  # apply the schema's types and formats
          - validate: {}
          - dedupe: {key: [id]}
        outputs:
          - {path: ../out/registry/registry.csv}
          - {path: ../out/registry/registry.ndjson}
          - {path: ../out/registry/datapackage.json}
        quality: {max_reject_ratio: 0.01, min_rows: 1}
        """.write(toFile: directory.path("pipelines/registry.yaml"), atomically: false, encoding: .utf8)
        var options = PipelineRunner.Options()
        options.log = RunLog(quiet: true)
        let pipeline = try PipelineLoader().load(path: directory.path("pipelines/registry.yaml"))
        #expect(try PipelineRunner(pipeline: pipeline, options: options).run() == .success)
        let output = try String(contentsOfFile: directory.path("out/registry/registry.ndjson"), encoding: .utf8)
        #expect(
            output == """
                {"id":1,"name":"행복경로당","address":"서울 종로구","지원금액":1234000,"신청일자":"2022-09-02"}
                {"id":2,"name":"햇살어린이집","address":"부산 중구","지원금액":500000,"신청일자":"2022-10-01"}

                """)
    }
}
