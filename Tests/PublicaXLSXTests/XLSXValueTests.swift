import Foundation
import PublicaCore
import PublicaTestSupport
import PublicaXLSX
import Testing

/// Cell values as a user sees them and a machine needs them: exact numbers, dates from the
/// number format, strings in NFC, booleans, errors as rejects, formulas as their cached values.
struct XLSXValueTests {
    @Test func numbersAreTheCellsTextExactly() throws {
        let values = try firstColumn(
            #"<row r="1"><c r="A1"><v>0.1</v></c></row><row r="2"><c r="A2"><v>42</v></c></row>"#
                + #"<row r="3"><c r="A3"><v>283793.33333333331</v></c></row><row r="4"><c r="A4"><v>1E-3</v></c></row>"#
                + #"<row r="5"><c r="A5"><v>-7</v></c></row>"#)
        #expect(values.map(\.textValue) == ["0.1", "42", "283793.33333333331", "1E-3", "-7"])
        #expect(values[1] == .integer(42))
        #expect(values[4] == .integer(-7))
        guard case .decimal = values[0] else {
            Issue.record("0.1 is \(values[0])")
            return
        }
    }

    @Test func builtInAndCustomDateFormatsGiveDates() throws {
        let values = try firstColumn(
            #"<row r="1"><c r="A1" s="1"><v>44225</v></c></row><row r="2"><c r="A2" s="2"><v>44225.75</v></c></row>"#
                + #"<row r="3"><c r="A3" s="3"><v>0.6041666666666666</v></c></row>"#
                + #"<row r="4"><c r="A4" s="4"><v>44225</v></c></row><row r="5"><c r="A5" s="5"><v>44225</v></c></row>"#,
            styles: [0, 14, 22, 20, 164, 165], formats: [164: #"yyyy"년" m"월" d"일""#, 165: "#,##0.00"])
        #expect(values[0] == .date(DateValue(year: 2021, month: 1, day: 29)!))
        #expect(values[1].textValue == "2021-01-29T18:00:00")
        #expect(values[2] == .text("14:30:00"))
        #expect(values[3] == .date(DateValue(year: 2021, month: 1, day: 29)!))
        #expect(values[4] == .integer(44225))
    }

    @Test func the1900LeapYearBugAndThe1904System() throws {
        let rows = [59, 61, 1].enumerated().map { #"<row r="\#($0 + 1)"><c s="1"><v>\#($1)</v></c></row>"# }.joined()
        let values = try firstColumn(rows, styles: [0, 14])
        #expect(values.map(\.textValue) == ["1900-02-28", "1900-03-01", "1900-01-01"])
        let in1904 = try firstColumn(#"<row r="1"><c s="1"><v>0</v></c></row>"#, styles: [0, 14], uses1904: true)
        #expect(in1904 == [.date(DateValue(year: 1904, month: 1, day: 1)!)])
    }

    @Test func serial60IsRejectedAsTheDayThatNeverWas() throws {
        let directory = try TemporaryDirectory()
        var maker = WorkbookMaker.sheet(
            #"<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2" s="1"><v>60</v></c></row>"#)
        maker.styles = [0, 14]
        let read = try readWorkbook(try maker.write(in: directory))
        #expect(read.records.isEmpty)
        #expect(read.rejections.first?.message.contains("Sheet1!A2") == true)
        #expect(read.rejections.first?.message.contains("leap-year") == true)
    }

    @Test func stringsSharedInlineAndRichAreNFC() throws {
        let directory = try TemporaryDirectory()
        let decomposed = "\u{1100}\u{1161}"  // 가 as two jamo
        var maker = WorkbookMaker.sheet(
            #"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>"#
                + #"<c r="C1" t="inlineStr"><is><t>\#(decomposed)</t></is></c><c r="D1" t="s"><v>2</v></c>"#
                + #"<c r="E1" t="str"><f>A1</f><v>calc</v></c><c r="F1" t="b"><v>1</v></c></row>"#)
        maker.sharedStrings = [
            "01234", "<r><t>rich </t></r><r><t>text</t></r><rPh><t>ふりがな</t></rPh>",
            "<t xml:space=\"preserve\"> padded </t>"
        ]
        var options = XLSXReadOptions()
        options.hasHeader = false
        let values = try readWorkbook(try maker.write(in: directory), options).records[0].values
        #expect(
            values == [
                .text("01234"), .text("rich text"), .text("\u{AC00}"), .text(" padded "), .text("calc"), .boolean(true)
            ])
    }

    @Test func errorCellsRejectTheirRowNamingTheCell() throws {
        let directory = try TemporaryDirectory()
        let maker = WorkbookMaker.sheet(
            #"<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="inlineStr"><is><t>b</t></is></c></row>"#
                + #"<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c></row>"#
                + #"<row r="7"><c r="A7"><v>3</v></c><c r="B7" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>"#)
        let path = try maker.write("book.xlsx", in: directory)
        let read = try readWorkbook(path)
        #expect(read.records.count == 1)
        let rejection = try #require(read.rejections.first)
        #expect(rejection.message == "\(path):Sheet1!B7: the cell holds the error #DIV/0!")
        #expect(rejection.field == "b")
        #expect(rejection.provenance.line == 7)
    }

    @Test func aFormulaWithoutACachedValueIsMissingAndReported() throws {
        let directory = try TemporaryDirectory()
        let maker = WorkbookMaker.sheet(
            #"<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row r="2"><c r="A2"><f>1+1</f></c></row>"#
                + #"<row r="3"><c r="A3"><f>2+2</f><v>4</v></c></row>"#)
        let read = try readWorkbook(try maker.write(in: directory))
        #expect(read.records.map(\.values) == [[.integer(4)]])
        #expect(read.source.counters.contains { $0.name == "formulas without a cached value" && $0.value == 1 })
        #expect(read.source.notes.contains { $0.contains("Sheet1!A2") && $0.contains("no cached value") })
        #expect(read.source.counters.contains { $0.name == "blank rows" && $0.value == 1 })
    }

    @Test func cellsWithoutReferencesFollowTheirNeighbours() throws {
        let values = try firstColumn(#"<row><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>"#)
        #expect(values == [.integer(1), .integer(3)])
    }
}
