import Foundation
import PublicaCore
import PublicaTestSupport
import Testing

@testable import PublicaCommands

/// `convert`, `validate` and `infer` read `.xlsx`; bad workbooks exit 65, an unknown sheet 64.
struct XLSXCommandTests {
    static let kosis = Fixtures.url("xlsx/kosis-pop-5age-eupmyeondong-2016.xlsx").path

    @Test func convertWritesTypedValues() throws {
        let directory = try TemporaryDirectory()
        #expect(
            publica(["convert", XLSXCommandTests.kosis, directory.path("out.ndjson"), "--header-row", "2", "-q"]) == 0)
        let text = try String(contentsOfFile: directory.path("out.ndjson"), encoding: .utf8)
        #expect(text.hasPrefix(#"{"field_1":"전국","field_2":"소계","field_3":"총인구수 (명)","계":51696216,"#))
    }

    @Test func anUnknownSheetIsExit64() throws {
        let directory = try TemporaryDirectory()
        #expect(publica(["convert", XLSXCommandTests.kosis, directory.path("o.ndjson"), "--sheet", "nope", "-q"]) == 64)
        #expect(publica(["convert", XLSXCommandTests.kosis, directory.path("o.ndjson"), "--range", "A:1", "-q"]) == 64)
    }

    @Test func aBadWorkbookIsExit65() throws {
        let directory = try TemporaryDirectory()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: XLSXCommandTests.kosis))
        try bytes.prefix(5000).write(to: directory.url.appendingPathComponent("cut.xlsx"))
        #expect(publica(["convert", directory.path("cut.xlsx"), directory.path("o.ndjson"), "-q"]) == 65)
        #expect(publica(["validate", directory.path("cut.xlsx")]) == 65)
    }

    @Test func inferAndValidateReadTheSecondSheet() throws {
        let kedi = Fixtures.url("xlsx/kedi-higher-ed-address-2020.xlsx").path
        #expect(publica(["validate", kedi, "--sheet", "2", "--header-row", "6"]) == 0)
        #expect(publica(["infer", kedi, "--sheet", "대학원", "--header-row", "auto"]) == 0)
    }
}
