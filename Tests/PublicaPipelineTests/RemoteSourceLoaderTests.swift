import Foundation
import PublicaCore
import PublicaFetch
import PublicaPipeline
import PublicaTestSupport
import Testing

/// `url:` sources as `check` sees them: the request's keys, each mistake at its line.
struct RemoteSourceLoaderTests {
    func load(_ source: String, environment: [String: String] = ["KEY": "k"]) throws -> (
        Pipeline?, [String]
    ) {
        let directory = try TemporaryDirectory()
        let file = directory.path("p.yaml")
        try """
        version: 1
        sources:
          api:
        \(source.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        outputs:
          - {path: out/p.csv}
        """.write(toFile: file, atomically: true, encoding: .utf8)
        do {
            return (try PipelineLoader(environment: environment).load(path: file), [])
        } catch let problems as PipelineProblems {
            return (nil, problems.diagnostics.map { "\($0.location?.line ?? 0): \($0.message)" })
        }
    }

    @Test func aDataGoKrSourceLoadsWithItsRequestAndLimits() throws {
        let (pipeline, problems) = try load(
            """
            url: https://apis.data.go.kr/B090041/openapi/service/SpcdeInfoService/getRestDeInfo
            params: {serviceKey: "${KEY}", solYear: 2021, numOfRows: 100}
            paging: datagokr
            format: json
            retry: {attempts: 3, backoff: 500ms, max_backoff: 2m}
            timeout: 10s
            rate: 600/m
            """)
        #expect(problems == [])
        let source = try #require(pipeline?.sources.first)
        let remote = try #require(source.remote)
        #expect(source.format == "fetched")
        #expect(remote.paging == .datagokr && remote.format == .json)
        #expect(remote.parameters.map(\.name) == ["serviceKey", "solYear", "numOfRows"])
        #expect(remote.parameters[0].value == "k")
        #expect(remote.attempts == 3 && remote.backoff == 0.5 && remote.maxBackoff == 120)
        #expect(remote.timeout == 10 && remote.rate == 10)
        #expect(source.place.hasSuffix("?serviceKey=***&solYear=2021&numOfRows=100"))
    }

    @Test func aDownloadTakesItsFormatFromTheURL() throws {
        let (pipeline, problems) = try load("url: https://example.org/files/registry.csv\nencoding: cp949")
        #expect(problems == [])
        #expect(pipeline?.sources.first?.remote?.paging == RemoteSource.Paging.none)
        #expect(pipeline?.sources.first?.remote?.format == .csv)
        #expect(pipeline?.sources.first?.options.encoding == .cp949)
    }

    struct Mistake: CustomStringConvertible, Sendable {
        let source: String
        let message: String
        var description: String { message }
    }

    static let mistakes = [
        Mistake(source: "url: ftp://example.org/a.csv", message: "4: url must be an http:// or https:// address"),
        Mistake(source: "url: https://example.org/a?x=1", message: "4: url takes the address without its query"),
        Mistake(source: "url: https://example.org/a\npaging: datagkr", message: "5: unknown paging 'datagkr'"),
        Mistake(source: "url: https://example.org/a\npaging: datagkr", message: "did you mean 'datagokr'?"),
        Mistake(source: "url: https://example.org/a\npaging: seol", message: "did you mean 'seoul'?"),
        Mistake(
            source: "url: https://example.org/a\nparms: {a: 1}",
            message: "5: unknown key 'parms' in source 'api'; did you mean 'params'?"),
        Mistake(
            source: "url: https://example.org/a\nparams: {serviceKey: abc123}",
            message: "5: serviceKey is a secret: take it from the environment"),
        Mistake(source: "url: https://example.org/a\nparams: {serviceKey: \"${NOPE}\"}", message: "NOPE"),
        Mistake(
            source: "url: https://example.org/a\npaging: datagokr\nformat: csv",
            message: "6: format 'csv' is not one paging datagokr reads"),
        Mistake(source: "url: https://example.org/a", message: "4: cannot tell the format of '/a' from its name"),
        Mistake(source: "url: https://example.org/a.csv\ntimeout: soon", message: "5: timeout takes a duration"),
        Mistake(source: "url: https://example.org/a.csv\nrate: 10/day", message: "5: rate takes requests per time"),
        Mistake(source: "url: https://example.org/a.csv\nretry: {atempts: 2}", message: "did you mean 'attempts'?"),
        Mistake(
            source: "url: https://example.org/a.csv\npath: a.csv",
            message: "5: source 'api' takes url: or path:, not both"),
        Mistake(source: "url: https://example.org/a.csv\nkeep_raw: maybe", message: "5: keep_raw takes true or false"),
        Mistake(
            source: "url: https://example.org/a.csv\nconcurrency: 40",
            message: "5: concurrency takes 1 to 16 pages in flight")
    ]

    @Test(arguments: mistakes) func aMistakeIsReportedAtItsLine(_ mistake: Mistake) throws {
        let (_, problems) = try load(mistake.source)
        #expect(problems.contains { $0.contains(mistake.message) }, "\(problems)")
    }
}
