import Foundation
import PublicaCore
import PublicaJSON
import PublicaTestSupport
import PublicaXML
import Testing

struct DataGoKrPresetTests {
    let options = XMLReadOptions(preset: .datagokr)

    @Test func solarTermsKeepCodesAsTextAndPaging() throws {
        let (names, records, _, source) = try readXML(
            Fixtures.url("datagokr/kasi/get24DivisionsInfo_2021.xml").path, options)
        #expect(names == ["dateKind", "dateName", "isHoliday", "kst", "locdate", "seq"])
        #expect(records.count == 24)
        #expect(field(records[1], names, "kst") == .text("0540"))
        #expect(field(records[0], names, "dateName") == .text("소한"))
        #expect(source.counters.map(\.name) == ["paging numOfRows", "paging pageNo", "paging totalCount"])
        #expect(source.counters.last?.value == 24)
    }

    @Test(arguments: ["getHoliDeInfo_2021.xml", "getRestDeInfo_2021.xml"])
    func holidayServices(file: String) throws {
        let (names, records, rejected, _) = try readXML(Fixtures.url("datagokr/kasi/\(file)").path, options)
        #expect(rejected.isEmpty && records.count > 10)
        #expect(records.allSatisfy { field($0, names, "locdate")?.textValue?.count == 8 })
    }

    @Test func legacyEnvelopeRecordsAreTheRootsOtherChildren() throws {
        let list = try readXML(Fixtures.url("datagokr/epost/getNewAddressListAreaCd_response2.xml").path, options)
        #expect(list.names == ["zipNo", "lnmAdres", "rnAdres"])
        #expect(list.records.count == 2)
        #expect(list.source.counters.contains { $0.name == "paging totalCount" && $0.value == 2 })
        let single = try readXML(Fixtures.url("datagokr/epost/getAreaCodeInfo_response1.xml").path, options)
        #expect(single.names == ["file"])
        #expect(single.records.map(\.values) == [["http://www.epost.go.kr/search/areacd/zipcode_DB.zip"]])
    }

    @Test func zeroAndManyItems() throws {
        let directory = try TemporaryDirectory()
        let empty = try xmlFile(
            "<response><header><resultCode>00</resultCode><resultMsg>NORMAL SERVICE.</resultMsg></header><body><items/><numOfRows>10</numOfRows><pageNo>3</pageNo><totalCount>20</totalCount></body></response>",
            directory)
        #expect(try readXML(empty, options).records.isEmpty)
        let one = try xmlFile(
            "<response><header><resultCode>0000</resultCode></header><body><items><item><a>1</a></item></items></body></response>",
            directory, name: "one.xml")
        #expect(try readXML(one, options).records.count == 1)
    }

    @Test func resultCodeOtherThanSuccessStops() throws {
        let directory = try TemporaryDirectory()
        let file = try xmlFile(
            "<response><header><resultCode>22</resultCode><resultMsg>LIMITED NUMBER OF SERVICE REQUESTS EXCEEDS ERROR.</resultMsg></header><body><items><item><a>1</a></item></items></body></response>",
            directory)
        let error = #expect(throws: PublicaError.self) { try readXML(file, options) }
        #expect(error?.exitStatus == .dataError)
        #expect(error?.message.contains("22") == true && error?.message.contains("LIMITED NUMBER") == true)
    }

    @Test func gatewayErrorEnvelopeStops() throws {
        let directory = try TemporaryDirectory()
        let file = try xmlFile(
            """
            <OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg>
            <returnAuthMsg>SERVICE_KEY_IS_NOT_REGISTERED_ERROR</returnAuthMsg><returnReasonCode>30</returnReasonCode>
            </cmmMsgHeader></OpenAPI_ServiceResponse>
            """, directory)
        let error = #expect(throws: PublicaError.self) { try readXML(file, options) }
        #expect(error?.message.contains("30") == true)
        #expect(error?.message.contains("SERVICE_KEY_IS_NOT_REGISTERED_ERROR") == true)
    }
}

struct SDMXPresetTests {
    /// The expected flat tables (whitespace-separated; the last column is the value).
    func expectedRows(_ name: String) throws -> (columns: [String], rows: [[String]]) {
        let text = try String(contentsOf: Fixtures.url("sdmx/expected/\(name)"), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        return (lines[0], Array(lines.dropFirst()))
    }

    /// Our records projected onto the expected columns (`value` is OBS_VALUE), as sorted rows.
    func projected(_ file: String, columns: [String]) throws -> [[String]] {
        let (names, records, rejected, _) = try readXML(
            Fixtures.url("sdmx/\(file)").path, XMLReadOptions(preset: .sdmx))
        #expect(rejected.isEmpty)
        return records.map { record in
            columns.map { column in
                let value = field(record, names, column == "value" ? "OBS_VALUE" : column)
                if case .decimal(let number)? = value { return number.description }
                return value?.textValue ?? "<missing>"
            }
        }.sorted { $0.lexicographicallyPrecedes($1) }
    }

    @Test(arguments: ["ng-ts.xml", "ng-ts-ss.xml", "ng-flat.xml", "ng-flat-ss.xml", "ng-ts-gf.xml"])
    func timeSeriesAndFlatMatchPandaSDMX(file: String) throws {
        let expected = try expectedRows("ng-flat-xml.txt")
        let rows = expected.rows.map { row in row.map { ExactDecimal($0)?.description ?? $0 } }
        #expect(try projected(file, columns: expected.columns) == rows.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test(arguments: ["ng-xs.xml", "ng-xs-ss.xml"])
    func crossSectionalMatchesPandaSDMX(file: String) throws {
        let expected = try expectedRows("ng-xs-xml.txt")
        let rows = expected.rows.map { row in row.map { ExactDecimal($0)?.description ?? $0 } }
        #expect(try projected(file, columns: expected.columns) == rows.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func valuesAreExactDecimalsAndHeaderIsMetadata() throws {
        let (names, records, _, source) = try readXML(
            Fixtures.url("sdmx/ng-ts.xml").path, XMLReadOptions(preset: .sdmx))
        #expect(field(records[3], names, "OBS_VALUE") == .decimal(ExactDecimal("0.82363")!))
        #expect(source.metadata.contains { $0.path == "ID" && $0.value == "Generic" })
        #expect(source.metadata.contains { $0.path == "Sender" && $0.value == "ECB" })
        #expect(source.metadata.contains { $0.path == "Prepared" })
    }

    @Test func footerWithoutDataIsAnError() throws {
        let error = #expect(throws: PublicaError.self) {
            try readXML(Fixtures.url("sdmx/ESTAT/footer.xml").path, XMLReadOptions(preset: .sdmx))
        }
        #expect(error?.exitStatus == .dataError)
        #expect(error?.message.contains("413") == true)
    }
}
