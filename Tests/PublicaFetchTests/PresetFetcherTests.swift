import Foundation
import PublicaCore
import PublicaFetch
import PublicaIngest
import PublicaTestSupport
import Testing

/// The odcloud, Seoul and KOSIS presets against a loopback server that pages and fails as they
/// do: every record of every page, each fault its kind (exit code) and the page named, the key
/// in nothing a fetch writes or says.
@Suite(.serialized) struct PresetFetcherTests {
    static let key = "test+key/with=chars"
    let server: LoopbackServer

    init() throws { server = try LoopbackServer(script: "presets_server.py") }

    func odcloud(_ fault: String, key: String = key) -> RemoteSource {
        tuned(
            RemoteSource(
                url: "\(server.base)/\(fault)/odcloud/api/15000001/v1/uddi:test",
                parameters: [("serviceKey", key), ("perPage", "10")], paging: .odcloud, format: .json))
    }

    func seoul(_ fault: String, key: String = key, rows: Int = 20, xml: Bool = false) -> RemoteSource {
        tuned(
            RemoteSource(
                url: "\(server.base)/\(fault)/seoul",
                parameters: [("key", key), ("service", "TestStats"), ("rows", String(rows))], paging: .seoul,
                format: xml ? .xml : .json))
    }

    func kosis(_ fault: String, key: String = key) -> RemoteSource {
        tuned(
            RemoteSource(
                url: "\(server.base)/\(fault)/kosis/openapi/Param/statisticsParameterData.do",
                parameters: [
                    ("method", "getList"), ("apiKey", key), ("orgId", "101"), ("tblId", "DT_TEST"),
                    ("format", "json"), ("jsonVD", "Y")
                ], paging: .kosis, format: .json))
    }

    func tuned(_ source: RemoteSource) -> RemoteSource {
        var source = source
        source.attempts = 3
        source.backoff = 0.01
        source.maxBackoff = 0.05
        source.timeout = 2
        return source
    }

    func fetchAndRead(_ source: RemoteSource, _ directory: borrowing TemporaryDirectory) throws -> (
        FetchManifest, [Record]
    ) {
        let folder = directory.path("fetched")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var notes: [String] = []
        var fetcher = Fetcher(source: source, name: "api")
        fetcher.note = { notes.append($0) }
        let manifest: FetchManifest
        do {
            manifest = try fetcher.fetch(into: folder)
        } catch {
            try "\(notes)".write(toFile: directory.path("notes.txt"), atomically: true, encoding: .utf8)
            throw error
        }
        try "\(notes)".write(toFile: directory.path("notes.txt"), atomically: true, encoding: .utf8)
        let reader = try FetchedSource(folder: folder, options: SourceOptions()) { _, _, _ in
            throw PublicaError(.usage, "not a download")
        }
        var records: [Record] = []
        while let record = try reader.next(onReject: { _ in }) { records.append(record) }
        return (manifest, records)
    }

    func expectError(
        _ source: RemoteSource, _ kind: PublicaError.Kind, _ fragments: [String],
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        let directory = try TemporaryDirectory()
        do {
            _ = try fetchAndRead(source, directory)
            Issue.record("no error", sourceLocation: sourceLocation)
        } catch let error as PublicaError {
            #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
            for fragment in fragments {
                #expect("\(error)".contains(fragment), "\(error) lacks \(fragment)", sourceLocation: sourceLocation)
            }
            for form in PresetFetcherTests.secretForms {
                #expect(!"\(error)".contains(form), "\(error)", sourceLocation: sourceLocation)
            }
        }
        try expectNoSecret(in: directory, sourceLocation: sourceLocation)
    }

    static let secretForms = ["test+key", "test%2Bkey", "with=chars", "with%3Dchars", "key%2Fwith", "key/with"]

    /// Nothing in the folder (pages, manifest, notes) holds the key, as given or encoded.
    func expectNoSecret(
        in directory: borrowing TemporaryDirectory, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        let files = FileManager.default.enumerator(atPath: directory.url.path)?.compactMap { $0 as? String } ?? []
        for file in files {
            let text = (try? String(contentsOfFile: directory.path(file), encoding: .utf8)) ?? ""
            for form in PresetFetcherTests.secretForms {
                #expect(!text.contains(form), "\(file) holds the key", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func odcloudPagesFollowMatchCount() throws {
        let directory = try TemporaryDirectory()
        let (manifest, records) = try fetchAndRead(odcloud("ok"), directory)
        #expect(manifest.paging == "odcloud" && manifest.totalCount == 45 && manifest.pages.count == 5)
        #expect(records.count == 45)
        #expect(records.first?.values.first == .integer(1) && records.last?.values.first == .integer(45))
        #expect(records[44].provenance.source.contains("?serviceKey=***&perPage=10&page=5"))
        try expectNoSecret(in: directory)
    }

    @Test(arguments: [false, true]) func seoulPagesAreStartEndRangesWithTheKeyAsStars(xml: Bool) throws {
        let directory = try TemporaryDirectory()
        let (manifest, records) = try fetchAndRead(seoul("ok", xml: xml), directory)
        #expect(manifest.totalCount == 45 && manifest.pages.count == 3)
        #expect(records.count == 45)
        #expect(records.last?.values[1].textValue == "시설 45")
        let type = xml ? "xml" : "json"
        #expect(records[44].provenance.source.hasSuffix("/seoul/***/\(type)/TestStats/41/60/"))
        #expect(manifest.url.hasSuffix("/seoul/***/\(type)/TestStats/{START}/{END}/"))
        try expectNoSecret(in: directory)
    }

    @Test func kosisIsOneRequestOfRows() throws {
        let directory = try TemporaryDirectory()
        let (manifest, records) = try fetchAndRead(kosis("ok"), directory)
        #expect(manifest.pages.count == 1 && manifest.totalCount == nil)
        #expect(records.count == 12 && records[0].values[7] == .text("7"))
        #expect(records[0].provenance.source.contains("apiKey=***"))
        try expectNoSecret(in: directory)
    }

    @Test func serverErrorsAreTriedAgain() throws {
        let directory = try TemporaryDirectory()
        #expect(try fetchAndRead(odcloud("flaky"), directory).1.count == 45)
        #expect(try fetchAndRead(seoul("flaky"), directory).1.count == 45)
        #expect(try fetchAndRead(seoul("retry"), directory).1.count == 45)
        #expect(try fetchAndRead(kosis("flaky"), directory).1.count == 12)
        #expect(try fetchAndRead(kosis("retry"), directory).1.count == 12)
        let notes = try String(contentsOfFile: directory.path("notes.txt"), encoding: .utf8)
        #expect(notes.contains("KOSIS err 50"))
    }

    @Test func aQuotaStopsAtOnceNamingThePage() throws {
        try expectError(seoul("quota2"), .quota, ["page 2", "Seoul RESULT.CODE ERROR-337", "tomorrow", "/21/40/"])
        try expectError(odcloud("quota2"), .quota, ["page 2", "odcloud code -10", "try again later"])
        try expectError(kosis("quota2"), .quota, ["page 1", "KOSIS err 40", "try again later"])
    }

    @Test func aRefusedKeyIsNeverTriedAgain() throws {
        try expectError(seoul("ok", key: "wrong"), .permission, ["page 1", "INFO-100", "params.key", "/***/"])
        try expectError(odcloud("ok", key: "wrong"), .permission, ["page 1", "odcloud code -4", "Decoding form"])
        try expectError(kosis("ok", key: "wrong"), .permission, ["KOSIS err 11", "expired"])
    }

    @Test func aRequestErrorNamesTheParameter() throws {
        try expectError(seoul("ok", rows: 1001), .usage, ["ERROR-336", "params.rows"])
        try expectError(seoul("toomany"), .usage, ["ERROR-310", "params.service"])
        try expectError(odcloud("toomany"), .usage, ["odcloud code -2", "check params"])
        try expectError(kosis("toomany"), .usage, ["KOSIS err 31", "40,000 cells"])
    }

    @Test func noDataIsAnEmptyResult() throws {
        for source in [
            seoul("nodata"), seoul("nodata", xml: true), odcloud("nodata"), kosis("nodata"), kosis("unquoted")
        ] {
            let directory = try TemporaryDirectory()
            let (manifest, records) = try fetchAndRead(source, directory)
            #expect(records.isEmpty && (manifest.pages.isEmpty || manifest.totalCount == 0), "\(source.url)")
        }
    }

    @Test func pagesThatWouldLoseOrDoubleRecordsStop() throws {
        try expectError(seoul("short"), .data, ["received 45 records", "list_total_count is 50", "page 3: 5"])
        try expectError(odcloud("short"), .data, ["received 45 records", "matchCount is 50", "page 5: 5"])
        try expectError(seoul("repeat"), .data, ["page 3 is the same as page 2"])
        try expectError(odcloud("repeat"), .data, ["page 3 was answered as page 2"])
    }
}
