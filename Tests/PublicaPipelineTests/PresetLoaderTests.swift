import Foundation
import PublicaCore
import PublicaFetch
import PublicaPipeline
import PublicaTestSupport
import Testing

/// The odcloud, Seoul and KOSIS presets as `check` sees them: their parameters, formats and
/// the URL shown (the key `***`, a path segment for Seoul).
struct PresetLoaderTests {
    /// The loader tests' one-source pipeline, its key variable set.
    func load(_ source: String) throws -> (Pipeline?, [String]) {
        try RemoteSourceLoaderTests().load(source, environment: ["KEY": "sekrit-4711"])
    }

    @Test func aSeoulSourceShowsItsPathWithTheKeyAsStars() throws {
        let (pipeline, problems) = try load(
            """
            url: http://openapi.seoul.go.kr:8088/
            params: {key: "${KEY}", service: CardSubwayStatsNew, rows: 500, args: "20220301"}
            paging: seoul
            """)
        #expect(problems == [])
        let source = try #require(pipeline?.sources.first)
        #expect(source.remote?.format == .json)
        #expect(source.place == "http://openapi.seoul.go.kr:8088/***/json/CardSubwayStatsNew/{START}/{END}/20220301/")
    }

    @Test func odcloudAndKosisReadJSON() throws {
        let (odcloud, problems) = try load(
            "url: https://api.odcloud.kr/api/15077093/v1/uddi:x\nparams: {serviceKey: \"${KEY}\", perPage: 100}\n"
                + "paging: odcloud")
        #expect(problems == [])
        #expect(odcloud?.sources.first?.remote?.format == .json)
        #expect(odcloud?.sources.first?.place.hasSuffix("?serviceKey=***&perPage=100") == true)
        let (kosis, kosisProblems) = try load(
            "url: https://kosis.kr/openapi/Param/statisticsParameterData.do\n"
                + "params: {method: getList, apiKey: \"${KEY}\", format: json, jsonVD: Y}\npaging: kosis")
        #expect(kosisProblems == [])
        #expect(kosis?.sources.first?.remote?.paging == .kosis)
    }

    static let mistakes: [(String, String)] = [
        (
            "url: http://h\nparams: {key: \"${KEY}\", service: S, rows: 5000}\npaging: seoul",
            "params.rows of paging seoul is 1 to 1000"
        ),
        ("url: http://h\nparams: {key: \"${KEY}\", service: S, start: 1}\npaging: seoul", "not 'start'"),
        ("url: http://h\nparams: {service: S}\npaging: seoul", "paging seoul needs params.key"),
        ("url: http://h\nparams: {key: abc}\npaging: seoul", "key is a secret"),
        (
            "url: http://h\nparams: {serviceKey: \"${KEY}\", page: 2}\npaging: odcloud",
            "paging odcloud sets page itself"
        ),
        ("url: http://h\npaging: odcloud\nformat: xml", "format 'xml' is not one paging odcloud reads"),
        ("url: http://h\npaging: kosis\nformat: csv", "format 'csv' is not one paging kosis reads")
    ]

    @Test(arguments: mistakes) func aPresetMistakeIsReported(_ source: String, _ message: String) throws {
        let (_, problems) = try load(source)
        #expect(problems.contains { $0.contains(message) }, "\(problems)")
    }
}
