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

    /// Codes typed into a text-formatted (`@`) column are shared strings with that style: `infer`
    /// makes them strings, and `validate` (inferring, then with a five-digit pattern) keeps the
    /// zeros, so it finds no error.
    @Test func sharedStringCodesInATextFormattedColumnKeepTheirZeros() throws {
        let directory = try TemporaryDirectory()
        let codes = ["00123", "04500", "01010", "09999"]
        var maker = WorkbookMaker.sheet(
            #"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>"#
                + codes.indices.map { index in
                    let row = index + 2
                    return #"<row r="\#(row)"><c r="A\#(row)" t="s" s="1"><v>\#(index + 2)</v></c>"#
                        + #"<c r="B\#(row)"><v>\#(index)</v></c></row>"#
                }.joined())
        maker.sharedStrings = ["code", "n"] + codes
        maker.styles = [0, 49]
        let path = try maker.write(in: directory)
        let read = try readWorkbook(path)
        #expect(read.records.map { $0.values[0] } == codes.map { FieldValue.text($0) })
        let inferred = try SchemaInference().infer(source: try XLSXRecordSource(path: path, options: XLSXReadOptions()))
        #expect(inferred.fields.map(\.type) == [.string, .integer])
        let descriptor = FieldValue.object([
            (
                "fields",
                .list([
                    .object([("name", "code"), ("type", "string"), ("constraints", .object([("pattern", "[0-9]{5}")]))]
                    ),
                    .object([("name", "n"), ("type", "integer")])
                ])
            )
        ])
        let pattern = try TableSchema(descriptor: descriptor, source: "inline")
        for schema in [nil, pattern] {
            var keys = TableValidator.KeyCollector()
            let task = try TableValidator().validate(
                opening: { try XLSXRecordSource(path: path, options: XLSXReadOptions()) }, name: "book",
                place: path, schema: schema, keys: &keys)
            #expect(task.errorCount == 0)
        }
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
