import Foundation
import PublicaCore
import PublicaXML

/// The shared-strings table, the one part held in memory (its size is in the source's notes).
///
/// A string item is the concatenation of its `t` runs (rich text included), leaving out phonetic
/// guides (`rPh`, furigana), and is normalised to NFC.
final class SharedStringsHandler: XMLEventHandler {
    private(set) var strings: [String] = []
    private(set) var byteCount = 0
    private var current: [UInt8] = []
    private var inItem = false
    private var inText = false
    private var phoneticDepth = 0

    func start(element: XMLElementName, attributes: XMLElementAttributes) {
        if element.is("si") {
            inItem = true
            current.removeAll(keepingCapacity: true)
        } else if element.is("rPh") {
            phoneticDepth += 1
        } else if inItem && phoneticDepth == 0 && element.is("t") {
            inText = true
        }
    }

    func end(element: XMLElementName) {
        if element.is("si") {
            inItem = false
            byteCount += current.count
            strings.append(CellText.normalized(current))
        } else if element.is("rPh") {
            phoneticDepth -= 1
        } else if element.is("t") {
            inText = false
        }
    }

    func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        if inText { current.append(contentsOf: bytes) }
    }
}

/// Cell text as Publica keeps it.
enum CellText {
    /// UTF-8 bytes as an NFC string (ASCII, the common case, skips the normalisation), with
    /// OOXML's `_xHHHH_` escapes for control characters decoded.
    static func normalized(_ bytes: some Collection<UInt8>) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        let unescaped = bytes.contains(UInt8(ascii: "_")) ? unescape(text) : text
        if bytes.allSatisfy({ $0 < 0x80 }) { return unescaped }
        return unescaped.precomposedStringWithCanonicalMapping
    }

    /// `_x000D_` → CR, and `_x005F_` → `_` (the escape of the escape).
    private static func unescape(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        var result = ""
        var rest = Substring(text)
        while let range = rest.range(of: "_x") {
            result += rest[..<range.lowerBound]
            let after = rest[range.upperBound...]
            let hex = after.prefix(5)
            if hex.count == 5, hex.last == "_", let code = UInt32(hex.dropLast(), radix: 16),
                let scalar = Unicode.Scalar(code)
            {
                result.unicodeScalars.append(scalar)
                rest = after.dropFirst(5)
            } else {
                result += "_x"
                rest = after
            }
        }
        return result + rest
    }
}
