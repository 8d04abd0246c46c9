import Foundation
import PublicaCore

/// A bulletin's text as numbered, cleaned lines: decoded (any supported encoding, BOM
/// removed), in Unicode NFC, split at LF, CRLF or CR, noise strings removed, trimmed.
struct BulletinText {
    struct Line {
        /// 1-based line number in the file.
        let number: Int
        let text: String
    }

    let lines: [Line]

    /// The longest bulletin accepted. Bulletins are small texts (the sample is 30 KB); the bound
    /// keeps time and memory bounded when a wrong or hostile file is named.
    static let maxBytes = 4 << 20

    init(path: String, encoding: TextEncoding, noise: [String]) throws {
        let input = try FileInput(path: path)
        let decoder = TextDecoder(input: input, encoding: encoding, policy: .strict)
        var bytes: [UInt8] = []
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 20)
        defer { chunk.deallocate() }
        while true {
            let (count, _) = try decoder.decode(into: chunk, capacity: 1 << 20)
            if count == 0 {
                if var error = decoder.pendingError {
                    error.location?.line = bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
                    throw error
                }
                break
            }
            bytes.append(contentsOf: UnsafeBufferPointer(start: chunk, count: count))
            guard bytes.count <= BulletinText.maxBytes else {
                throw PublicaError(
                    .data, "more than \(BulletinText.maxBytes >> 20) MiB of text: too large for a bulletin",
                    at: SourceLocation(file: path))
            }
        }
        if let nul = bytes.firstIndex(of: 0) {
            let line = bytes[..<nul].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw PublicaError(
                .data, "a NUL byte: this is a binary file, not bulletin text",
                at: SourceLocation(file: path, line: line, byteOffset: nul))
        }
        let text = Normalization.nfc(String(decoding: bytes, as: UTF8.self))
        var lines: [Line] = []
        var number = 0
        for rawLine in text.split(
            omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
        {
            number += 1
            var cleaned = String(rawLine)
            for fragment in noise where cleaned.contains(fragment) {
                cleaned = cleaned.replacingOccurrences(of: fragment, with: "")
            }
            lines.append(Line(number: number, text: cleaned.trimmingSpaces))
        }
        self.lines = lines
    }
}
