import Foundation
import PublicaTestSupport
import Testing

/// `publica run` of odcloud, Seoul and KOSIS pipelines against `presets_server.py` on loopback:
/// every page published; each fault its exit code and a message naming the page, nothing
/// published on a failure, no fetch folder left, and the key in nothing a run writes or says.
@Suite(.serialized) struct PresetRunTests {
    static let key = "test+key/with=chars"
    let server: LoopbackServer

    init() throws { server = try LoopbackServer(script: "presets_server.py") }

    /// The source of each service's pipeline, its URL under `${PRESETS_BASE}` (which names the fault).
    static let sources = [
        "seoul": """
            url: "${PRESETS_BASE}/seoul"
            params: {key: "${API_KEY}", service: TestStats, rows: "${ROWS:-20}"}
            paging: seoul
        """,
        "odcloud": """
            url: "${PRESETS_BASE}/odcloud/api/15000001/v1/uddi:test"
            params: {serviceKey: "${API_KEY}", perPage: 10}
            paging: odcloud
        """,
        "kosis": """
            url: "${PRESETS_BASE}/kosis/openapi/Param/statisticsParameterData.do"
            params: {method: getList, apiKey: "${API_KEY}", orgId: 101, tblId: DT_TEST, format: json, jsonVD: Y}
            paging: kosis
        """
    ]

    func run(
        _ service: String, _ fault: String, in directory: borrowing TemporaryDirectory, key: String = key,
        rows: Int = 20
    ) throws -> (code: Int32, errors: String) {
        let file = directory.path("\(service).yaml")
        if !FileManager.default.fileExists(atPath: file) {
            try """
            version: 1
            name: \(service)
            sources:
              api:
            \(PresetRunTests.sources[service]!)
                retry: {attempts: 3, backoff: 10ms, max_backoff: 50ms}
                timeout: 5s
            outputs:
              - {path: "${PUBLICA_OUT}/\(service)/\(service).csv"}
              - {path: "${PUBLICA_OUT}/\(service)/\(service).ndjson"}
              - {path: "${PUBLICA_OUT}/\(service)/datapackage.json"}
            quality: {min_rows: 1}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        }
        return try runPublicaBinary(
            ["run", file],
            environment: [
                "PRESETS_BASE": server.base + "/" + fault, "API_KEY": key, "ROWS": String(rows),
                "PUBLICA_OUT": directory.path("out")
            ])
    }

    @Test(arguments: [
        ("seoul", 45, "/***/json/TestStats/"), ("odcloud", 45, "serviceKey=***"), ("kosis", 12, "apiKey=***")
    ])
    func everyPageIsPublishedAndTheKeyIsNowhere(_ service: String, _ count: Int, _ shown: String) throws {
        let directory = try TemporaryDirectory()
        let (code, errors) = try run(service, "ok", in: directory)
        #expect(code == 0, "\(errors)")
        let ndjson = try String(contentsOfFile: directory.path("out/\(service)/\(service).ndjson"), encoding: .utf8)
        #expect(ndjson.split(separator: "\n").count == count)
        let package = try String(contentsOfFile: directory.path("out/\(service)/datapackage.json"), encoding: .utf8)
        #expect(package.contains(shown), "\(package)")
        #expect(RemoteRunTests.fetchFoldersLeft(directory.path("out")).isEmpty)
        try RemoteRunTests.expectNoSecret(in: directory, errors: errors)
        let again = try run(service, "ok", in: directory)
        #expect(again.code == 0 && again.errors.contains("nothing to do"), "\(again.errors)")
    }

    @Test func keptSeoulPagesReplayWithoutTheNetworkAndHoldNoKey() throws {
        let directory = try TemporaryDirectory()
        _ = try run("seoul", "ok", in: directory)  // Writes seoul.yaml.
        let file = directory.path("seoul.yaml")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "    paging: seoul\n", with: "    paging: seoul\n    keep_raw: true\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let (code, errors) = try run("seoul", "ok", in: directory)
        #expect(code == 0, "\(errors)")
        let kept = try FileManager.default.contentsOfDirectory(atPath: directory.path("out/seoul/raw/api")).sorted()
        #expect(kept == ["manifest.json", "page-00001.json", "page-00002.json", "page-00003.json"])
        try RemoteRunTests.expectNoSecret(in: directory, errors: errors)
        let replay = try runPublicaBinary(
            ["run", file, "--replay", directory.path("out/seoul")],
            environment: [
                "PRESETS_BASE": server.base + "/ok", "API_KEY": "another-key", "PUBLICA_OUT": directory.path("out")
            ])
        #expect(replay.code == 0, "\(replay.errors)")
        #expect(!replay.errors.contains("fetched"), "\(replay.errors)")
    }

    struct Fault: CustomStringConvertible, Sendable {
        let service: String
        let path: String
        let code: Int32
        let fragment: String
        var key = PresetRunTests.key
        var rows = 20
        var description: String { "\(service) \(path)" }
    }

    static let faults = [
        Fault(
            service: "seoul", path: "quota2", code: 75, fragment: "/21/40/: error: page 2: Seoul RESULT.CODE ERROR-337"),
        Fault(
            service: "seoul", path: "ok", code: 77, fragment: "page 1: Seoul RESULT.CODE INFO-100", key: "wrong-4711"),
        Fault(
            service: "seoul", path: "short", code: 65,
            fragment: "list_total_count is 50 (page 1: 20, page 2: 20, page 3: 5)"),
        Fault(service: "seoul", path: "repeat", code: 65, fragment: "page 3 is the same as page 2"),
        Fault(
            service: "seoul", path: "toomany", code: 64,
            fragment: "ERROR-310 (해당하는 서비스를 찾을 수 없습니다.): no such service: check params.service"),
        Fault(service: "seoul", path: "ok", code: 64, fragment: "params.rows of paging seoul is 1 to 1000", rows: 1001),
        Fault(service: "odcloud", path: "quota2", code: 75, fragment: "page=2: error: page 2: odcloud code -10"),
        Fault(service: "odcloud", path: "ok", code: 77, fragment: "odcloud code -4", key: "wrong-4711"),
        Fault(service: "odcloud", path: "short", code: 65, fragment: "matchCount is 50 (page 1: 10"),
        Fault(service: "kosis", path: "quota2", code: 75, fragment: "page 1: KOSIS err 40 (호출가능건수 제한)"),
        Fault(service: "kosis", path: "ok", code: 77, fragment: "KOSIS err 11", key: "wrong-4711"),
        Fault(service: "kosis", path: "toomany", code: 64, fragment: "KOSIS err 31")
    ]

    @Test(arguments: faults) func aFaultStopsTheRunWithItsCodeAndPublishesNothing(_ fault: Fault) throws {
        let directory = try TemporaryDirectory()
        let (code, errors) = try run(fault.service, fault.path, in: directory, key: fault.key, rows: fault.rows)
        #expect(code == fault.code, "\(errors)")
        #expect(errors.contains(fault.fragment), "\(errors)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("out/\(fault.service)")))
        #expect(RemoteRunTests.fetchFoldersLeft(directory.path("out")).isEmpty)
        try RemoteRunTests.expectNoSecret(in: directory, errors: errors, key: fault.key)
    }

    @Test(arguments: ["seoul", "odcloud", "kosis"]) func noDataIsAnEmptyResultThatKeepsWhatWasPublished(
        _ service: String
    ) throws {
        let directory = try TemporaryDirectory()
        #expect(try run(service, "ok", in: directory).code == 0)
        let published = try RemoteRunTests.filesUnder(directory.path("out/\(service)")).map(\.1)
        let (code, errors) = try run(service, "nodata", in: directory)
        #expect(code == 0, "\(errors)")
        #expect(errors.contains("nothing to publish: the service has no data"), "\(errors)")
        #expect(try RemoteRunTests.filesUnder(directory.path("out/\(service)")).map(\.1) == published)
        #expect(RemoteRunTests.fetchFoldersLeft(directory.path("out")).isEmpty)
        try RemoteRunTests.expectNoSecret(in: directory, errors: errors)
    }

    @Test(arguments: ["seoul", "odcloud", "kosis"]) func aFailedRequestIsTriedAgainAndTheRunPublishes(
        _ service: String
    ) throws {
        let directory = try TemporaryDirectory()
        let (code, errors) = try run(service, "flaky", in: directory)
        #expect(code == 0, "\(errors)")
        #expect(errors.contains("attempt 2 in"), "\(errors)")
        try RemoteRunTests.expectNoSecret(in: directory, errors: errors)
    }
}
