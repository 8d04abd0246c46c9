import Foundation
import PublicaCore
import PublicaFetch
import PublicaTestSupport
import Testing

/// `concurrency: N`: pages past the first are fetched N at a time, yet listed, checked and
/// read in page order; a failure stops the others from taking more pages.
@Suite(.serialized) struct ConcurrentFetchTests {
    /// The fetch suite's helpers, with their own loopback server.
    let fetcher: FetcherTests
    var server: LoopbackServer { fetcher.server }

    init() throws { fetcher = try FetcherTests() }

    func source(_ fault: String, concurrency: Int, rows: Int = 5) -> RemoteSource {
        var source = fetcher.source(fault)
        source.parameters = source.parameters.map { $0.name == "numOfRows" ? ($0.name, String(rows)) : $0 }
        source.concurrency = concurrency
        source.timeout = 5
        return source
    }

    func mostInFlight() throws -> Int {
        let counts = try JSONSerialization.jsonObject(with: Data(try server.get("/_requests").utf8)) as? [String: Int]
        return counts?["most-in-flight"] ?? 0
    }

    @Test func pagesInFlightAtOnceAreReadInPageOrder() throws {
        let one = try TemporaryDirectory()
        let (sequential, records, _) = try fetcher.fetchAndRead(source("paced", concurrency: 1), one)
        #expect(try mostInFlight() == 1)
        let four = try TemporaryDirectory()
        let (concurrent, again, rejects) = try fetcher.fetchAndRead(source("paced", concurrency: 4), four)
        let most = try mostInFlight()
        #expect(most > 1 && most <= 4, "\(most) in flight")
        #expect(concurrent.pages.map(\.number) == Array(1...9))
        #expect(concurrent.pages.map(\.sha256) == sequential.pages.map(\.sha256))
        #expect(again.map(\.values) == records.map(\.values) && again.count == 45 && rejects.isEmpty)
        #expect(again.map(\.provenance.source) == records.map(\.provenance.source))
    }

    @Test func aQuotaAnswerAmongPagesInFlightStopsTheFetch() throws {
        try fetcher.expectError(source("quota3", concurrency: 3, rows: 10), .quota, ["page 3", "resultCode 22"])
    }

    @Test func aRepeatedPageIsFoundInPageOrder() throws {
        try fetcher.expectError(source("repeat", concurrency: 3, rows: 10), .data, ["page 3 was answered as page 2"])
    }

    /// The pages before a failure among pages in flight are listed for `--resume`.
    @Test func thePagesBeforeAFailureAreKeptInOrder() throws {
        let directory = try TemporaryDirectory()
        let folder = directory.path("fetched")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        #expect(throws: PublicaError.self) {
            _ = try Fetcher(source: source("quota3", concurrency: 3, rows: 5), name: "holidays").fetch(into: folder)
        }
        let partial = try FetchManifest.read(folder: folder, name: FetchManifest.partialName)
        #expect(partial.pages.map(\.number) == [1, 2])
        #expect(!FileManager.default.fileExists(atPath: folder + "/" + FetchManifest.fileName))
    }
}
