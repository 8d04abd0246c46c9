import Foundation
import PublicaCore
import PublicaTestSupport
import PublicaXLSX
import Testing

/// `sheet`, `range`, `merged`, `header_row`, `header_rows` and the provenance each record carries.
struct XLSXOptionTests {
    static let grid = (1...6).map { row in
        "<row r=\"\(row)\">"
            + (1...4).map { column in
                "<c r=\"\(CellReference(column: column, row: row))\" t=\"inlineStr\"><is><t>\(CellReference(column: column, row: row))</t></is></c>"
            }.joined() + "</row>"
    }.joined()

    @Test func aSheetByNameOrPosition() throws {
        let directory = try TemporaryDirectory()
        var maker = WorkbookMaker.sheet(#"<row r="1"><c t="inlineStr"><is><t>first</t></is></c></row>"#, name: "One")
        maker.sheets.append(
            ("Two", WorkbookMaker.sheetXML(#"<row r="1"><c t="inlineStr"><is><t>second</t></is></c></row>"#)))
        let path = try maker.write(in: directory)
        for wanted in ["Two", "two", "2"] {
            var options = XLSXReadOptions()
            options.sheet = wanted
            let source = try XLSXRecordSource(path: path, options: options)
            #expect(source.sheetName == "Two")
            #expect(source.schema.fieldNames == ["second"])
        }
        #expect(try XLSXRecordSource(path: path, options: XLSXReadOptions()).sheetName == "One")
    }

    @Test func aRangeReadsOnlyItsCells() throws {
        let directory = try TemporaryDirectory()
        var options = XLSXReadOptions()
        options.range = CellRange("B3:C5")
        let read = try readWorkbook(try WorkbookMaker.sheet(XLSXOptionTests.grid).write(in: directory), options)
        #expect(read.source.schema.fieldNames == ["B3", "C3"])
        #expect(read.records.map(\.values) == [[.text("B4"), .text("C4")], [.text("B5"), .text("C5")]])
        #expect(read.records.map(\.provenance.line) == [4, 5])
    }

    @Test func aHeaderRowBelowTitles() throws {
        let directory = try TemporaryDirectory()
        var options = XLSXReadOptions()
        options.headerRow = 3
        options.skipRows = 1
        let read = try readWorkbook(try WorkbookMaker.sheet(XLSXOptionTests.grid).write(in: directory), options)
        #expect(read.source.schema.fieldNames == ["A3", "B3", "C3", "D3"])
        #expect(read.records.first?.values.first == .text("A5"))
    }

    @Test func mergedCellsKeepOrFill() throws {
        let directory = try TemporaryDirectory()
        let rows =
            #"<row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c><c r="B1" t="inlineStr"><is><t>i</t></is></c></row>"#
            + #"<row r="2"><c r="A2" t="inlineStr"><is><t>seoul</t></is></c><c r="B2"><v>1</v></c></row>"#
            + #"<row r="3"><c r="A3" t="inlineStr"><is><t>stale</t></is></c><c r="B3"><v>2</v></c></row>"#
        let path = try WorkbookMaker.sheet(rows, after: #"<mergeCells count="1"><mergeCell ref="A2:A3"/></mergeCells>"#)
            .write(in: directory)
        let kept = try readWorkbook(path)
        #expect(kept.records.map { $0.values[0] } == [.text("seoul"), .null])
        var options = XLSXReadOptions()
        options.fillsMergedCells = true
        let filled = try readWorkbook(path, options)
        #expect(filled.records.map { $0.values[0] } == [.text("seoul"), .text("seoul")])
    }

    /// A two-row header whose upper cells are merged over their columns (`2017` over `남`, `여`),
    /// as agency sheets have it: one label per column, combined as for delimited text.
    @Test func aTwoRowHeaderWithAMergedUpperCell() throws {
        let directory = try TemporaryDirectory()
        func text(_ reference: String, _ value: String) -> String {
            #"<c r="\#(reference)" t="inlineStr"><is><t>\#(value)</t></is></c>"#
        }
        let rows =
            #"<row r="1">"# + text("A1", "제목") + "</row>"
            + #"<row r="2">"# + text("A2", "지역") + text("B2", "2017") + text("D2", "2018") + "</row>"
            + #"<row r="3">"# + text("B3", "남") + text("C3", "여") + text("D3", "남") + text("E3", "여") + "</row>"
            + #"<row r="4">"# + text("A4", "서울")
            + #"<c r="B4"><v>1</v></c><c r="C4"><v>2</v></c><c r="D4"><v>3</v></c><c r="E4"><v>4</v></c></row>"#
        let merges =
            #"<mergeCells count="3"><mergeCell ref="A2:A3"/><mergeCell ref="B2:C2"/><mergeCell ref="D2:E2"/>"#
            + "</mergeCells>"
        let path = try WorkbookMaker.sheet(rows, after: merges).write(in: directory)
        for fills in [false, true] {
            var options = XLSXReadOptions()
            options.headerRow = 2
            options.headerRows = 2
            options.fillsMergedCells = fills
            let read = try readWorkbook(path, options)
            #expect(read.source.schema.fieldNames == ["지역", "2017 남", "2017 여", "2018 남", "2018 여"])
            #expect(read.records.map(\.values) == [[.text("서울"), .integer(1), .integer(2), .integer(3), .integer(4)]])
            #expect(read.records.first?.provenance.line == 4)
            #expect(read.source.notes.contains("header: rows 2-3 combined per column"))
        }
        var source = SourceOptions()
        source.headerRow = 2
        source.headerRows = 2
        let fromSource = try readWorkbook(path, try XLSXFormats.readOptions(source))
        #expect(fromSource.source.schema.fieldNames.last == "2018 여")
    }

    @Test func recordsCarryTheSheetAndRow() throws {
        let directory = try TemporaryDirectory()
        let path = try WorkbookMaker.sheet(XLSXOptionTests.grid, name: "Data").write(in: directory)
        let read = try readWorkbook(path)
        #expect(read.records.first?.provenance.source == "\(path):Data")
        #expect(read.records.first?.provenance.line == 2)
        #expect(read.records.count == 5)
    }

    @Test func sourceOptionsBecomeXLSXOptions() throws {
        var source = SourceOptions()
        source.extra = ["sheet": "2", "range": "A5:K200", "merged": "fill"]
        source.findsHeaderRow = true
        let options = try XLSXFormats.readOptions(source)
        #expect(options.sheet == "2")
        #expect(options.range == CellRange("A5:K200"))
        #expect(options.fillsMergedCells)
        #expect(options.findsHeaderRow)
        source.extra = ["range": "5:K"]
        #expect(throws: PublicaError.self) { _ = try XLSXFormats.readOptions(source) }
        source.extra = ["merged": "smear"]
        let error = try #require(throws: PublicaError.self) { _ = try XLSXFormats.readOptions(source) }
        #expect(error.exitStatus == .usage)
    }
}
