import Foundation
import PublicaTestSupport
import Testing

/// `publica run` of the KASI example in `Pipelines/` against a data.go.kr-style server on
/// loopback that pages and fails as the real one does: each fault its exit code and message,
/// nothing published on a failure, no fetch folder left, and the key in nothing a run writes.
@Suite(.serialized) struct RemoteRunTests {
    static let key = "test+key/with=chars"
    static let pipeline = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Pipelines/kasi-holidays.yaml").standardized.path
    let server: LoopbackServer

    init() throws { server = try LoopbackServer(script: "datagokr_server.py") }

    func run(_ fault: String, in directory: borrowing TemporaryDirectory, key: String = key) throws -> (
        code: Int32, errors: String
    ) {
        try runPublicaBinary(
            ["run", RemoteRunTests.pipeline],
            environment: [
                "DATA_GO_KR_BASE": server.base + "/" + fault, "DATA_GO_KR_KEY": key,
                "PUBLICA_OUT": directory.path("out")
            ])
    }

    /// `key` in any form a careless writer might use: as given, percent-encoded, form-encoded.
    static func secretForms(_ key: String) -> [String] {
        let encoded = key.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        return [key, encoded, encoded.replacingOccurrences(of: "%2B", with: "+"), String(key.prefix(8))]
    }

    static func expectNoSecret(in directory: borrowing TemporaryDirectory, errors: String, key: String = key) throws {
        let forms = RemoteRunTests.secretForms(key)
        for form in forms { #expect(!errors.contains(form)) }
        for (name, bytes) in try RemoteRunTests.filesUnder(directory.path("")) {
            let text = String(decoding: bytes, as: UTF8.self)
            for form in forms { #expect(!text.contains(form), "\(form) in \(name)") }
        }
    }

    static func filesUnder(_ root: String) throws -> [(String, Data)] {
        let names = FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []
        return try names.compactMap { name in
            var isDirectory: ObjCBool = false
            let path = root + "/" + name
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { return nil }
            return (name, try Data(contentsOf: URL(fileURLWithPath: path)))
        }
    }

    /// The fetch and staging folders a run left in `folder` (its output folder's parent).
    static func fetchFoldersLeft(_ folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.contains("publica-fetch") || $0.contains("publica-staging") }
    }

    @Test func everyPageIsPublishedWithTheURLAsTheSourceAndTheKeyNowhere() throws {
        let directory = try TemporaryDirectory()
        let (code, errors) = try run("ok", in: directory)
        #expect(code == 0, "\(errors)")
        #expect(errors.contains("page 3 of 3 fetched"))
        let ndjson = try String(
            contentsOfFile: directory.path("out/kasi-holidays/kasi-holidays.ndjson"), encoding: .utf8)
        let lines = ndjson.split(separator: "\n")
        // The server's 45 rest days of 2019-2021 (the saved real response, three years).
        #expect(lines.count == 45)
        #expect(lines.first == #"{"locdate":"20190101","dateName":"1월1일","isHoliday":"Y"}"#)
        let package = try String(contentsOfFile: directory.path("out/kasi-holidays/datapackage.json"), encoding: .utf8)
        #expect(package.contains("serviceKey=***"))
        #expect(RemoteRunTests.fetchFoldersLeft(directory.path("out")).isEmpty)
        try RemoteRunTests.expectNoSecret(in: directory, errors: errors)

        // The same answers: nothing to do, the outputs untouched.
        let again = try run("ok", in: directory)
        #expect(again.code == 0 && again.errors.contains("nothing to do"), "\(again.errors)")
        #expect(RemoteRunTests.fetchFoldersLeft(directory.path("out")).isEmpty)
    }

    struct Fault: CustomStringConvertible, Sendable {
        let path: String
        let code: Int32
        let fragment: String
        var key = RemoteRunTests.key
        var description: String { path }
    }

    static let faults = [
        Fault(path: "gateway403", code: 77, fragment: "is it the Decoding form"),
        Fault(path: "ok", code: 77, fragment: "resultCode 30", key: "wrong-key-4711"),
        Fault(path: "quota3", code: 75, fragment: "pageNo=3: error: page 3: data.go.kr resultCode 22"),
        Fault(path: "short", code: 65, fragment: "totalCount is 50 (page 1: 20, page 2: 20, page 3: 5)"),
        Fault(path: "repeat", code: 65, fragment: "page 3 was answered as page 2"),
        Fault(path: "badxml", code: 65, fragment: "pageNo=2:2:")
    ]

    @Test(arguments: faults) func aFaultStopsTheRunWithItsCodeAndPublishesNothing(_ fault: Fault) throws {
        let directory = try TemporaryDirectory()
        let (code, errors) = try run(fault.path, in: directory, key: fault.key)
        #expect(code == fault.code, "\(errors)")
        #expect(errors.contains(fault.fragment), "\(errors)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("out/kasi-holidays")))
        #expect(RemoteRunTests.fetchFoldersLeft(directory.path("out")).isEmpty)
        try RemoteRunTests.expectNoSecret(in: directory, errors: errors, key: fault.key)
    }

    @Test(arguments: ["nodata", "empty"]) func noDataIsAnEmptyResultThatKeepsWhatWasPublished(_ fault: String) throws {
        let directory = try TemporaryDirectory()
        #expect(try run("ok", in: directory).code == 0)
        let published = try RemoteRunTests.filesUnder(directory.path("out/kasi-holidays")).map(\.1)
        let (code, errors) = try run(fault, in: directory)
        #expect(code == 0, "\(errors)")
        #expect(errors.contains("nothing to publish: the service has no data"), "\(errors)")
        #expect(try RemoteRunTests.filesUnder(directory.path("out/kasi-holidays")).map(\.1) == published)
        #expect(RemoteRunTests.fetchFoldersLeft(directory.path("out")).isEmpty)
    }

    @Test func aFailedPageIsTriedAgainAndTheRunPublishes() throws {
        let directory = try TemporaryDirectory()
        let (code, errors) = try run("flaky", in: directory)
        #expect(code == 0, "\(errors)")
        #expect(errors.contains("attempt 2 in"))
        try RemoteRunTests.expectNoSecret(in: directory, errors: errors)
    }
}
