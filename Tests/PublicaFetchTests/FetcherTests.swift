import Foundation
import PublicaCore
import PublicaFetch
import PublicaIngest
import PublicaTestSupport
import Testing

/// Fetching from a real HTTP server on loopback that pages and fails as data.go.kr does.
@Suite(.serialized) struct FetcherTests {
    static let key = "test+key/with=chars"
    let server: LoopbackServer

    init() throws { server = try LoopbackServer(script: "datagokr_server.py") }

    func source(_ fault: String, json: Bool = false, key: String = FetcherTests.key) -> RemoteSource {
        var parameters = [
            (name: "serviceKey", value: key), (name: "solYear", value: "2021"), (name: "numOfRows", value: "10")
        ]
        if json { parameters.append((name: "_type", value: "json")) }
        var source = RemoteSource(
            url: "\(server.base)/\(fault)/B090041/openapi/service/SpcdeInfoService/getRestDeInfo",
            parameters: parameters, paging: .datagokr, format: json ? .json : .xml)
        source.attempts = 3
        source.backoff = 0.01
        source.maxBackoff = 0.05
        source.timeout = 1
        return source
    }

    /// Fetches into a new folder and reads every record back.
    /// The readers a download is read with (the pipeline's registry, less the formats of other modules).
    let registry: SourceRegistry = {
        var registry = SourceRegistry()
        IngestFormats.register(into: &registry)
        return registry
    }()

    func fetchAndRead(_ source: RemoteSource, _ directory: borrowing TemporaryDirectory) throws -> (
        FetchManifest, [Record], [Rejection]
    ) {
        let folder = directory.path("fetched")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let manifest = try Fetcher(source: source, name: "holidays").fetch(into: folder)
        let reader = try FetchedSource(folder: folder, options: SourceOptions()) { path, format, options in
            guard case .single(let reader) = try registry.open(path, format: format, options: options) else {
                throw PublicaError(.usage, "several resources")
            }
            return reader
        }
        var records: [Record] = []
        var rejects: [Rejection] = []
        while let record = try reader.next(onReject: { rejects.append($0) }) { records.append(record) }
        return (manifest, records, rejects)
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
            #expect(!"\(error)".contains("key/with"), sourceLocation: sourceLocation)
            try expectNoSecret(in: directory)
        }
    }

    /// Nothing in the folder holds the key, as given or encoded.
    func expectNoSecret(
        in directory: borrowing TemporaryDirectory, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        let files = FileManager.default.enumerator(atPath: directory.url.path)?.compactMap { $0 as? String } ?? []
        for file in files {
            let text = (try? String(contentsOfFile: directory.path(file), encoding: .utf8)) ?? ""
            for form in ["test+key", "test%2Bkey", "with=chars", "with%3Dchars"] {
                #expect(!text.contains(form), "\(file) holds the key", sourceLocation: sourceLocation)
            }
        }
    }

    @Test(arguments: [false, true]) func pagesFollowTotalCountInPageOrder(json: Bool) throws {
        let directory = try TemporaryDirectory()
        let (manifest, records, rejects) = try fetchAndRead(source("ok", json: json), directory)
        #expect(manifest.totalCount == 45 && manifest.pages.count == 5)
        #expect(records.count == 45 && rejects.isEmpty)
        #expect(records.map { $0.values[3].textValue ?? "" }.prefix(2) == ["20190101", "20190211"])
        #expect(records.last?.values[1] == .text("기독탄신일"))
        #expect(records[0].provenance.source.contains("?serviceKey=***&solYear=2021&numOfRows=10"))
        #expect(records[0].provenance.source.hasSuffix("&pageNo=1"))
        #expect(records[44].provenance.source.hasSuffix("pageNo=5"))
        try expectNoSecret(in: directory)
    }

    @Test func theEncodingFormOfAKeyIsSentEncodedOnce() throws {
        let directory = try TemporaryDirectory()
        let (_, records, _) = try fetchAndRead(source("ok", key: "test%2Bkey%2Fwith%3Dchars"), directory)
        #expect(records.count == 45)
    }

    @Test func aServerErrorIsTriedAgainAndAFirstResultCode01Too() throws {
        let directory = try TemporaryDirectory()
        #expect(try fetchAndRead(source("flaky"), directory).1.count == 45)
        #expect(try fetchAndRead(source("retry01", json: true), directory).1.count == 45)
    }

    @Test func transientFailuresThatLastExit69NamingThePage() throws {
        try expectError(source("slow"), .unavailable, ["page 2", "no answer within", "3 attempts", "pageNo=2"])
        try expectError(source("reset"), .unavailable, ["page 2", "3 attempts"])
        try expectError(source("truncated"), .unavailable, ["page 2", "3 attempts"])
    }

    @Test func keysRefusedExit77WithWhatToCheck() throws {
        try expectError(source("gateway403", json: true), .permission, ["page 1", "resultCode 30", "Decoding form"])
        try expectError(source("ok", key: "wrong"), .permission, ["resultCode 30", "Decoding form", "serviceKey=***"])
    }

    @Test func aQuotaStopsAtOnceWithExit75() throws {
        try expectError(source("quota3"), .quota, ["page 3", "resultCode 22", "after midnight"])
    }

    @Test(arguments: [false, true]) func oneItemNoItemsAndNoDataAreResults(json: Bool) throws {
        let directory = try TemporaryDirectory()
        #expect(try fetchAndRead(source("single", json: json), directory).1.count == 1)
        #expect(try fetchAndRead(source("empty", json: json), directory).1.isEmpty)
        #expect(try fetchAndRead(source("nodata", json: json), directory).1.isEmpty)
    }

    @Test func pagesThatWouldLoseOrDoubleRecordsStopTheRun() throws {
        try expectError(source("short"), .data, ["received 45 records", "totalCount is 50", "page 5: 5"])
        try expectError(source("repeat"), .data, ["page 3 was answered as page 2"])
        try expectError(source("badxml"), .data, ["pageNo=2"])
    }
}
