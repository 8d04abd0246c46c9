import Foundation
import PublicaCore
import PublicaIngest
import PublicaTestSupport
import Testing

struct EncodingTests {
    static let cp949Files = ["kosis-airline-company.csv", "kosis-economic-index.csv", "seoul-mosquito-index.csv"]

    /// A CP949 government file and its iconv-made UTF-8 twin read to identical records.
    @Test(arguments: cp949Files)
    func cp949MatchesIconvReference(file: String) throws {
        let directory = try TemporaryDirectory()
        let original = Fixtures.url("korean-csv/\(file)").path
        let reference = try runTool("/usr/bin/iconv", ["-f", "CP949", "-t", "UTF-8", original])
        #expect(!reference.isEmpty)
        let twin = try write(Array(reference), named: "twin.csv", in: directory)
        let fromCP949 = try readAll(original)
        let fromUTF8 = try readAll(twin)
        #expect(fromCP949.reader.decoder.resolvedEncoding == .cp949)
        #expect(fromUTF8.reader.decoder.resolvedEncoding == .utf8)
        #expect(fromCP949.names == fromUTF8.names)
        #expect(fromCP949.rows == fromUTF8.rows)
        #expect(fromCP949.rows.count > 100)
    }

    @Test(arguments: ["public-health-institutions.csv", "seoul-subway-fee.csv"])
    func utf8WithBOMLosesTheBOM(file: String) throws {
        let (names, rows, rejected, reader) = try readAll(Fixtures.url("korean-csv/\(file)").path)
        #expect(reader.decoder.resolvedEncoding == .utf8)
        #expect(!names[0].hasPrefix("\u{FEFF}"))
        #expect(names[0] == (file.hasPrefix("public") ? "연번" : "사용월"))
        #expect(rows.count + rejected.count > 100)
    }

    @Test func utf16WithEitherByteOrder() throws {
        let directory = try TemporaryDirectory()
        let text = "이름,값\n한글,1\n"
        var little: [UInt8] = [0xFF, 0xFE], big: [UInt8] = [0xFE, 0xFF]
        for unit in text.utf16 {
            little += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            big += [UInt8(unit >> 8), UInt8(unit & 0xFF)]
        }
        for bytes in [little, big] {
            let path = try write(bytes, named: "utf16.csv", in: directory)
            let (names, rows, _, _) = try readAll(path)
            #expect(names == ["이름", "값"])
            #expect(rows == [["한글", "1"]])
        }
    }

    @Test func latin1() throws {
        let directory = try TemporaryDirectory()
        let path = try write([0x61, 0x0A, 0x63, 0x61, 0x66, 0xE9, 0x0A], named: "latin1.csv", in: directory)
        let (_, rows, _, _) = try readAll(path, CSVReadOptions(encoding: .latin1))
        #expect(rows == [["café"]])
    }

    @Test func invalidUTF8UnderStrictNamesLineAndByte() throws {
        let directory = try TemporaryDirectory()
        let path = try write(Array("a,b\n1,2\n3,x".utf8) + [0xFF] + Array("y\n".utf8), named: "bad.csv", in: directory)
        let error = #expect(throws: PublicaError.self) { try readAll(path, CSVReadOptions(encoding: .utf8)) }
        #expect(error?.kind == .encoding)
        #expect(error?.location?.line == 3)
        #expect(error?.location?.byteOffset == 11)
        #expect(error?.exitStatus == .dataError)
    }

    @Test func invalidBytesReplacedAndCountedWhenLenient() throws {
        let directory = try TemporaryDirectory()
        let path = try write(Array("a,b\n1,x".utf8) + [0xC3] + Array("y\n".utf8), named: "bad.csv", in: directory)
        let (_, rows, _, reader) = try readAll(path, CSVReadOptions(encoding: .utf8, invalidBytes: .replace))
        #expect(rows == [["1", "x\u{FFFD}y"]])  // the lone lead byte eats nothing after it
        #expect(reader.stats.replacedBytes == 1)
    }

    @Test func invalidCP949UnderStrict() throws {
        let directory = try TemporaryDirectory()
        let path = try write(
            Array("a\n".utf8) + [0xB0, 0xA1, 0x0A, 0xFF, 0xFF, 0x0A], named: "bad949.csv", in: directory)
        let error = #expect(throws: PublicaError.self) { try readAll(path, CSVReadOptions(encoding: .cp949)) }
        #expect(error?.location?.line == 3)
        #expect(error?.location?.byteOffset == 5)
    }

    /// CP949's duplicate Hanja decode to CJK compatibility ideographs (0xCBD0 is U+F900), which
    /// NFC maps to the unified ideograph (U+8C48): the output is NFC even though iconv's is not.
    @Test func cp949CompatibilityIdeographsComeOutNFC() throws {
        let directory = try TemporaryDirectory()
        let path = try write(Array("a\n".utf8) + [0xCB, 0xD0, 0x0A], named: "hanja.csv", in: directory)
        let (_, rows, _, _) = try readAll(path, CSVReadOptions(encoding: .cp949))
        #expect(rows.first?.first?.unicodeScalars.map(\.value) == [0x8C48])
    }

    /// macOS writes Hangul decomposed (NFD); Publica hands out NFC.
    @Test func nfdBecomesNFC() throws {
        let directory = try TemporaryDirectory()
        let nfc = "한글,café"
        let nfd = nfc.decomposedStringWithCanonicalMapping
        #expect(Array(nfd.utf8) != Array(nfc.utf8))
        let path = try write("a,b\n\(nfd)\nplain,ascii\n", named: "nfd.csv", in: directory)
        let (_, rows, _, _) = try readAll(path)
        #expect(
            rows.map { $0.map { Array($0.utf8) } } == [
                Array(nfc.utf8).split(separator: 0x2C).map(Array.init),
                [Array("plain".utf8), Array("ascii".utf8)]
            ])
    }
}
