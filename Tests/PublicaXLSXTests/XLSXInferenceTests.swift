import Foundation
import PublicaCore
import PublicaTestSupport
import PublicaValidation
import PublicaXLSX
import Testing

/// `infer` on a workbook: codes stored as text keep their leading zeros as strings; number and
/// date cells give their types.
struct XLSXInferenceTests {
    @Test func textCodesStayStringsAndTypedCellsKeepTheirTypes() throws {
        let directory = try TemporaryDirectory()
        let header =
            #"<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c><c r="B1" t="inlineStr"><is><t>n</t></is></c>"#
            + #"<c r="C1" t="inlineStr"><is><t>day</t></is></c></row>"#
        let rows = (2...5).map {
            #"<row r="\#($0)"><c r="A\#($0)" t="inlineStr"><is><t>0\#($0)</t></is></c><c r="B\#($0)"><v>\#($0)</v></c>"#
                + #"<c r="C\#($0)" s="1"><v>4422\#($0)</v></c></row>"#
        }
        var maker = WorkbookMaker.sheet(header + rows.joined())
        maker.styles = [0, 14]
        let source = try XLSXRecordSource(path: try maker.write(in: directory), options: XLSXReadOptions())
        let schema = try SchemaInference().infer(source: source)
        #expect(schema.fields.map(\.type) == [.string, .integer, .date])
    }

    @Test func postcodesWithLeadingZerosInTheCorpusStayStrings() throws {
        var options = XLSXReadOptions()
        options.headerRow = 6
        let source = try XLSXRecordSource(
            path: Fixtures.url("xlsx/kedi-higher-ed-address-2020.xlsx").path, options: options)
        let schema = try SchemaInference().infer(source: source)
        #expect(schema.fields.first { $0.name == "우편번호" }?.type == .string)
    }
}
