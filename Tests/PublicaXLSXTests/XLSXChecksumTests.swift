import Foundation
import PublicaCore
import PublicaTestSupport
import Testing
import ZIPFoundation

@testable import PublicaXLSX

/// The CRC-32 every inflated byte passes through (slicing-by-8) agrees with the check value and
/// with ZIPFoundation's own, at every length around its 8-byte step and across chunks.
struct XLSXChecksumTests {
    @Test func theCheckValue() {
        #expect(EntryInflater.crc32(Data("123456789".utf8), continuing: 0) == 0xCBF4_3926)
        #expect(EntryInflater.crc32(Data(), continuing: 0) == 0)
    }

    @Test func agreesWithZIPFoundationAtEveryLengthAndInChunks() {
        var generator = SystemRandomNumberGenerator()
        let bytes = Data((0..<70_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 65_537, 70_000] {
            let slice = bytes.prefix(length)
            #expect(EntryInflater.crc32(slice, continuing: 0) == slice.crc32(checksum: 0))
        }
        var chunked: UInt32 = 0
        for start in stride(from: 0, to: bytes.count, by: 4099) {
            chunked = EntryInflater.crc32(bytes[start..<min(start + 4099, bytes.count)], continuing: chunked)
        }
        #expect(chunked == bytes.crc32(checksum: 0))
    }

    /// A sheet whose bytes do not match the CRC-32 its headers declare is a damaged zip (exit 65,
    /// naming the entry), stored or deflated.
    @Test func aSheetWhoseChecksumDoesNotMatchIsRefused() throws {
        let directory = try TemporaryDirectory()
        let sheet = Data(WorkbookMaker.sheetXML(#"<row r="1"><c><v>1</v></c></row>"#).utf8)
        for method: UInt16 in [0, 8] {
            var entries: [(name: String, method: UInt16, bytes: [UInt8], size: UInt32, crc: UInt32)] = []
            for (name, data) in WorkbookMaker.sheet("").parts.sorted(by: { $0.key < $1.key })
            where name != "xl/worksheets/sheet1.xml" {
                entries.append((name, 0, [UInt8](data), UInt32(data.count), data.crc32(checksum: 0)))
            }
            var bytes = [UInt8](sheet)
            if method == 8 {
                // One stored deflate block, final: the same bytes, deflated "by hand".
                let count = UInt16(sheet.count)
                bytes = [0x01, UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8(~count >> 8)] + bytes
            }
            entries.append(
                ("xl/worksheets/sheet1.xml", method, bytes, UInt32(sheet.count), sheet.crc32(checksum: 0) ^ 1))
            let path = directory.path("damaged\(method).xlsx")
            try rawZip(entries).write(to: URL(fileURLWithPath: path))
            let error = try #require(throws: PublicaError.self) { _ = try readWorkbook(path) }
            #expect(error.exitStatus == .dataError)
            #expect(error.message.contains("CRC-32"))
            #expect(error.location?.file.hasSuffix("sheet1.xml") == true)
        }
    }
}
