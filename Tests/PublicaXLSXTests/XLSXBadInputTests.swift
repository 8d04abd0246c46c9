import Foundation
import PublicaCore
import PublicaTestSupport
import Testing
import ZIPFoundation

@testable import PublicaXLSX

/// Bad workbooks stop with exit 65 and name the entry or cell; an unknown sheet is exit 64.
struct XLSXBadInputTests {
    func openError(_ path: String, _ options: XLSXReadOptions = XLSXReadOptions()) throws -> PublicaError {
        try #require(throws: PublicaError.self) { _ = try readWorkbook(path, options) }
    }

    @Test func aTruncatedZip() throws {
        let directory = try TemporaryDirectory()
        let path = try WorkbookMaker.sheet(#"<row r="1"><c><v>1</v></c></row>"#).write(in: directory)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count * 2 / 3).write(to: URL(fileURLWithPath: path))
        let error = try openError(path)
        #expect(error.exitStatus == .dataError)
        #expect(error.location?.file.hasPrefix(path) == true)
        #expect(error.message.contains("truncated"))
    }

    @Test func aZipBombByItsDeclaredRatio() throws {
        let directory = try TemporaryDirectory()
        var maker = WorkbookMaker.sheet(#"<row r="1"><c><v>1</v></c></row>"#)
        let zeros = "<!--" + String(repeating: "0", count: 20 << 20) + "-->"
        maker.sheets[0].xml = WorkbookMaker.sheetXML(#"<row r="1"><c><v>1</v></c></row>"#) + zeros
        let error = try openError(try maker.write(in: directory))
        #expect(error.exitStatus == .dataError)
        #expect(error.location?.file.hasSuffix(":xl/worksheets/sheet1.xml") == true)
        #expect(error.message.contains("zip bomb"))
    }

    @Test func aZipBombThatLiesAboutItsSizeIsCaughtWhileInflating() throws {
        let entry = try bombEntry()
        var meter = InflationMeter(entry: entry, limits: XLSXLimits(), maxBytes: nil, location: "bomb.xlsx:x")
        #expect(throws: PublicaError.self) {
            for _ in 0..<64 { try meter.count(1 << 20) }
        }
    }

    private func bombEntry() throws -> Entry {
        let directory = try TemporaryDirectory()
        let path = directory.path("small.zip")
        try WorkbookMaker.zip(["x": Data(repeating: 0x30, count: 1000)], to: path)
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        return try #require(archive["x"])
    }

    @Test func tooManyEntries() throws {
        let directory = try TemporaryDirectory()
        var maker = WorkbookMaker.sheet(#"<row r="1"><c><v>1</v></c></row>"#)
        for index in 0..<20 { maker.extraParts["junk/\(index).bin"] = Data([1]) }
        var options = XLSXReadOptions()
        options.limits.maxEntries = 10
        let error = try openError(try maker.write(in: directory), options)
        #expect(error.exitStatus == .dataError)
        #expect(error.message.contains("entry count limit"))
    }

    @Test func aSheetWithInvalidXML() throws {
        let directory = try TemporaryDirectory()
        var maker = WorkbookMaker.sheet("")
        maker.sheets[0].xml = "<worksheet><sheetData><row r=\"1\"><c><v>1</v></c></row>\n<row r=\"2\"><c></row>"
        let error = try openError(try maker.write(in: directory))
        #expect(error.exitStatus == .dataError)
        #expect(error.message.contains("malformed XML"))
        #expect(error.location?.file.hasSuffix(":xl/worksheets/sheet1.xml") == true)
        #expect(error.location?.line == 2)
    }

    @Test func aMissingSharedStringIndex() throws {
        let directory = try TemporaryDirectory()
        var maker = WorkbookMaker.sheet(
            #"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="B2" t="s"><v>5</v></c></row>"#)
        maker.sharedStrings = ["only"]
        let path = try maker.write(in: directory)
        let error = try openError(path)
        #expect(error.exitStatus == .dataError)
        #expect(error.location?.file == "\(path):Sheet1!B2")
        #expect(error.message.contains("shared string index '5'"))
    }

    @Test func anOldXLSRenamedXLSX() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("old.xlsx")
        try compoundFile(stream: "Workbook").write(to: URL(fileURLWithPath: path))
        let error = try openError(path)
        #expect(error.exitStatus == .dataError)
        #expect(error.message.contains(".xls"))
        #expect(error.location?.file == path)
    }

    @Test func anEncryptedWorkbook() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("secret.xlsx")
        try compoundFile(stream: "EncryptedPackage").write(to: URL(fileURLWithPath: path))
        let error = try openError(path)
        #expect(error.exitStatus == .dataError)
        #expect(error.message.contains("encrypted"))
    }

    /// The start of an OLE compound file with a directory entry named `stream` (UTF-16LE), which
    /// is what tells an encrypted package from an old binary workbook.
    private func compoundFile(stream: String) -> Data {
        var bytes: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 504)
        bytes += stream.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } + Array(repeating: 0, count: 512)
        return Data(bytes)
    }

    @Test func aZipThatIsNotAWorkbook() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("doc.xlsx")
        try WorkbookMaker.zip(["word/document.xml": Data("<document/>".utf8)], to: path)
        let error = try openError(path)
        #expect(error.exitStatus == .dataError)
        #expect(error.message.contains("not a workbook"))
    }

    @Test func aSheetThatDoesNotExistIsAUsageErrorWithTheNames() throws {
        let directory = try TemporaryDirectory()
        var maker = WorkbookMaker.sheet(#"<row r="1"><c><v>1</v></c></row>"#, name: "데이터")
        maker.sheets.append(("메타정보", WorkbookMaker.sheetXML("")))
        var options = XLSXReadOptions()
        options.sheet = "Sheet9"
        let error = try openError(try maker.write(in: directory), options)
        #expect(error.exitStatus == .usage)
        #expect(error.message.contains("'데이터', '메타정보'"))
    }

    @Test func externalRelationshipsAreNeverFollowed() throws {
        let directory = try TemporaryDirectory()
        var maker = WorkbookMaker.sheet(#"<row r="1"><c><v>1</v></c></row>"#)
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        maker.extraParts["xl/_rels/workbook.xml.rels"] = Data(
            """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(rel)/worksheet" Target="file:///etc/passwd" TargetMode="External"/>\
            </Relationships>
            """.utf8)
        let error = try openError(try maker.write(in: directory))
        #expect(error.message.contains("no worksheets"))
    }
}

/// Forged deflate streams end in a located error, never a hang (ZIPFoundation's own extract
/// loops forever at the end of the file on these).
struct XLSXForgedStreamTests {
    @Test func aStoredBlockLongerThanTheEntryIsTruncated() throws {
        let directory = try TemporaryDirectory()
        var parts = WorkbookMaker.sheet(#"<row r="1"><c><v>1</v></c></row>"#).parts
        parts["xl/worksheets/sheet1.xml"] = nil
        let good = directory.path("good.xlsx")
        try WorkbookMaker.zip(parts, to: good)
        // Rebuild the zip with the sheet as a forged entry: a stored block claiming 65,535 bytes.
        let archive = try Archive(url: URL(fileURLWithPath: good), accessMode: .read)
        var entries: [(name: String, method: UInt16, bytes: [UInt8], size: UInt32, crc: UInt32)] = []
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            entries.append((entry.path, 0, [UInt8](data), UInt32(data.count), entry.checksum))
        }
        entries.append(
            ("xl/worksheets/sheet1.xml", 8, [0x00, 0xFF, 0xFF, 0x00, 0x00] + Array("<worksheet>".utf8), 100, 0))
        let path = directory.path("forged.xlsx")
        try rawZip(entries).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: PublicaError.self) { _ = try readWorkbook(path) }
        #expect(error.exitStatus == .dataError)
        #expect(error.location?.file.contains("sheet1.xml") == true)
    }

    @Test func entriesAreFoundWhereTheirLocalHeaderSays() throws {
        let directory = try TemporaryDirectory()
        let path = try WorkbookMaker.sheet(#"<row r="1"><c><v>1</v></c></row>"#).write(in: directory)
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        let handle = try #require(FileHandle(forReadingAtPath: path))
        defer { try? handle.close() }
        for entry in archive { #expect(try EntryInflater.dataOffset(of: entry, in: handle) != nil) }
    }
}
