import Foundation
import PublicaCore

/// Tells a workbook zip from the files that are often named `.xlsx` but are not one.
///
/// An old binary `.xls` and an encrypted (password-protected) `.xlsx` are both OLE compound
/// files (`D0 CF 11 E0`); an encrypted one holds an `EncryptedPackage` stream. Both are refused
/// with what they are, rather than as a damaged zip.
enum ContainerSniffer {
    static let compoundFileMagic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
    static let zipMagic: [UInt8] = [0x50, 0x4B]

    static func check(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PublicaError(.io, "cannot open '\(path)'", at: SourceLocation(file: path))
        }
        defer { try? handle.close() }
        let head = [UInt8](handle.readData(ofLength: 8))
        if head == compoundFileMagic {
            // The directory sits anywhere in the file; the first MiB holds it in practice.
            let rest = [UInt8](handle.readData(ofLength: 1 << 20))
            let name = Array("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
            if contains(rest, name) {
                throw PublicaError(
                    .data,
                    "the workbook is encrypted (password-protected); save it without a password to read it",
                    at: SourceLocation(file: path))
            }
            throw PublicaError(
                .data, "an old binary Excel file (.xls) named .xlsx; save it as .xlsx (or CSV) to read it",
                at: SourceLocation(file: path))
        }
        guard head.count >= 2, Array(head.prefix(2)) == zipMagic else {
            throw PublicaError(
                .data, "not a workbook: an .xlsx is a zip package, and this file does not start like one",
                at: SourceLocation(file: path))
        }
    }

    private static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
            if bytes[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}
