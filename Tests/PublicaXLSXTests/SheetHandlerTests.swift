import PublicaXML
import Testing

@testable import PublicaXLSX

/// The parse hands its rows over between chunks of XML, which may end anywhere: inside a row,
/// a cell or a value. Batches taken after every chunk hold the same rows, cells and text as one
/// batch taken at the end.
struct SheetHandlerTests {
    private static let sheet = WorkbookMaker.sheetXML(
        #"<row r="1"><c r="A1" t="inlineStr"><is><t>이름 첫째</t></is></c><c r="B1"><v>12345</v></c></row>"#
            + #"<row r="2"><c r="A2" s="1"><v>0.125</v></c><c r="C2" t="s"><v>3</v></c></row>"#
            + #"<row r="4"><c r="B4" t="str"><f>A1</f><v>text of a formula</v></c></row>"#)

    /// Each row as its number and its cells' references and texts.
    private static func rows(chunkSize: Int) throws -> [String] {
        let handler = SheetHandler(location: "book.xlsx:Sheet1", lastRow: .max)
        let parser = try XMLEventParser(source: "sheet1.xml", handler: handler)
        var batches: [RawRows] = []
        let bytes = Array(sheet.utf8)
        for start in stride(from: 0, to: bytes.count, by: chunkSize) {
            try bytes[start..<min(start + chunkSize, bytes.count)].withUnsafeBytes { try parser.parse($0) }
            batches.append(handler.takeRows())
        }
        try parser.parse(nil)
        batches.append(handler.takeRows())
        return batches.flatMap { batch in
            batch.rows.map { row in
                "\(row.number): "
                    + batch.cells[row.cells].map {
                        "\($0.reference)=\(String(decoding: batch.bytes[$0.text], as: UTF8.self))"
                    }.joined(separator: " ")
            }
        }
    }

    @Test func batchesTakenBetweenAnyChunksHoldTheSameRows() throws {
        let whole = try Self.rows(chunkSize: 1 << 20)
        #expect(
            whole == ["1: A1=이름 첫째 B1=12345", "2: A2=0.125 C2=3", "4: B4=text of a formula"])
        for size in [1, 2, 3, 5, 7, 11, 64] {
            #expect(try Self.rows(chunkSize: size) == whole, "chunks of \(size) bytes")
        }
    }
}
