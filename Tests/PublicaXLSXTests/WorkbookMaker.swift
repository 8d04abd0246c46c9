import Foundation
import PublicaCore
import PublicaTestSupport
import PublicaXLSX
import ZIPFoundation

/// Builds small workbooks inside a test, part by part, so each test shows the XML it reads.
struct WorkbookMaker {
    var sheets: [(name: String, xml: String)] = []
    var sharedStrings: [String]?
    /// `cellXfs` number format ids in order (style 0 first), and custom formats by id.
    var styles: [Int] = [0]
    var customFormats: [Int: String] = [:]
    var uses1904 = false
    /// Parts to add or replace, by path.
    var extraParts: [String: Data] = [:]

    /// A workbook with one sheet whose `<sheetData>` is `rows`.
    static func sheet(_ rows: String, name: String = "Sheet1", after: String = "") -> WorkbookMaker {
        WorkbookMaker(sheets: [(name, sheetXML(rows, after: after))])
    }

    static func sheetXML(_ rows: String, after: String = "") -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <sheetData>\(rows)</sheetData>\(after)</worksheet>
        """
    }

    var parts: [String: Data] {
        var parts: [String: String] = [:]
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        parts["[Content_Types].xml"] =
            "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"
        parts["_rels/.rels"] = """
            <?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(rel)/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """
        let sheetList = sheets.indices.map {
            "<sheet name=\"\(sheets[$0].name)\" sheetId=\"\($0 + 1)\" r:id=\"rId\($0 + 1)\"/>"
        }
        parts["xl/workbook.xml"] = """
            <?xml version="1.0"?><workbook xmlns="\(main)" xmlns:r="\(rel)">\
            <workbookPr\(uses1904 ? " date1904=\"1\"" : "")/><sheets>\(sheetList.joined())</sheets></workbook>
            """
        var relationships = sheets.indices.map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }
        relationships.append("<Relationship Id=\"rIdS\" Type=\"\(rel)/styles\" Target=\"styles.xml\"/>")
        if sharedStrings != nil {
            relationships.append(
                "<Relationship Id=\"rIdT\" Type=\"\(rel)/sharedStrings\" Target=\"sharedStrings.xml\"/>")
        }
        parts["xl/_rels/workbook.xml.rels"] = """
            <?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            \(relationships.joined())</Relationships>
            """
        let formats = customFormats.sorted { $0.key < $1.key }.map {
            "<numFmt numFmtId=\"\($0.key)\" formatCode=\"\($0.value.replacingOccurrences(of: "\"", with: "&quot;"))\"/>"
        }
        parts["xl/styles.xml"] = """
            <?xml version="1.0"?><styleSheet xmlns="\(main)"><numFmts>\(formats.joined())</numFmts>\
            <cellStyleXfs><xf numFmtId="0"/></cellStyleXfs>\
            <cellXfs>\(styles.map { "<xf numFmtId=\"\($0)\" xfId=\"0\"/>" }.joined())</cellXfs></styleSheet>
            """
        if let sharedStrings {
            parts["xl/sharedStrings.xml"] =
                "<?xml version=\"1.0\"?><sst xmlns=\"\(main)\">"
                + sharedStrings.map { $0.hasPrefix("<") ? "<si>\($0)</si>" : "<si><t>\($0)</t></si>" }.joined()
                + "</sst>"
        }
        for (index, sheet) in sheets.enumerated() { parts["xl/worksheets/sheet\(index + 1).xml"] = sheet.xml }
        var data = parts.mapValues { Data($0.utf8) }
        data.merge(extraParts) { $1 }
        return data
    }

    /// Writes the workbook to `name` in `directory` and returns its path.
    func write(_ name: String = "book.xlsx", in directory: borrowing TemporaryDirectory) throws -> String {
        let path = directory.path(name)
        try WorkbookMaker.zip(parts, to: path)
        return path
    }

    /// A deflated zip of `parts`.
    static func zip(_ parts: [String: Data], to path: String) throws {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, data) in parts.sorted(by: { $0.key < $1.key }) {
            try archive.addEntry(
                with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }
}

/// Reads every record (and rejection) of a workbook.
func readWorkbook(_ path: String, _ options: XLSXReadOptions = XLSXReadOptions()) throws -> (
    source: XLSXRecordSource, records: [Record], rejections: [Rejection]
) {
    let source = try XLSXRecordSource(path: path, options: options)
    var records: [Record] = []
    var rejections: [Rejection] = []
    while let record = try source.next(onReject: { rejections.append($0) }) { records.append(record) }
    return (source, records, rejections)
}

/// The first column's values, for one-column sheets read without a header.
func firstColumn(_ rows: String, styles: [Int] = [0], formats: [Int: String] = [:], uses1904: Bool = false)
    throws -> [FieldValue]
{
    let directory = try TemporaryDirectory()
    var maker = WorkbookMaker.sheet(rows)
    maker.styles = styles
    maker.customFormats = formats
    maker.uses1904 = uses1904
    var options = XLSXReadOptions()
    options.hasHeader = false
    return try readWorkbook(try maker.write(in: directory), options).records.map { $0.values[0] }
}

/// A zip written byte by byte, for entries no zip library would write: each entry is its name,
/// compression method (0 stored, 8 deflate), its compressed bytes as given, and the inflated
/// size and CRC-32 its headers declare.
func rawZip(_ entries: [(name: String, method: UInt16, bytes: [UInt8], size: UInt32, crc: UInt32)]) -> Data {
    func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    func le32(_ value: UInt32) -> [UInt8] { le16(UInt16(value & 0xFFFF)) + le16(UInt16(value >> 16)) }
    var file: [UInt8] = []
    var directory: [UInt8] = []
    for entry in entries {
        let name = Array(entry.name.utf8)
        let common =
            le16(20) + le16(0) + le16(entry.method) + le16(0) + le16(0x21) + le32(entry.crc)
            + le32(UInt32(entry.bytes.count)) + le32(entry.size) + le16(UInt16(name.count)) + le16(0)
        let offset = UInt32(file.count)
        file += le32(0x0403_4B50) + common + name + entry.bytes
        directory +=
            le32(0x0201_4B50) + le16(20) + common + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + name
    }
    let end =
        le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(entries.count)) + le16(UInt16(entries.count))
        + le32(UInt32(directory.count)) + le32(UInt32(file.count)) + le16(0)
    return Data(file + directory + end)
}
