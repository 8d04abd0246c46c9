import PublicaCore

/// Parses JSON values from a byte stream into ``FieldValue``s, keeping object keys in order.
///
/// Numbers become `.integer` when whole and within 64 bits, else exact `.decimal`, never a
/// binary float; one written with an exponent is given back as written (`1e9999` stays
/// `1e9999`, never expanded into digits).
/// Strict RFC 8259 grammar; errors name line and column.
struct JSONValueParser {
    let stream: ByteStream
    let sourceName: String
    /// Nesting limit, so a hostile file cannot exhaust the stack.
    var maxDepth = 512

    /// A byte as a message shows it: `'x'` when printable ASCII, else its value (`byte 0x00`), so
    /// a NUL or a control byte never reaches the terminal.
    static func shown(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x" + hex(byte)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }

    func error(_ message: String) -> PublicaError {
        PublicaError(.data, message, at: SourceLocation(file: sourceName, line: stream.line, column: stream.column))
    }

    /// Skips whitespace; returns the next byte without consuming it.
    func skipWhitespace() throws -> UInt8? {
        while let byte = try stream.peek() {
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return byte }
            _ = try stream.next()
        }
        return nil
    }

    func expect(_ byte: UInt8) throws {
        guard try skipWhitespace() == byte else {
            throw error("expected \(JSONValueParser.shown(byte))")
        }
        _ = try stream.next()
    }

    func parseValue(depth: Int = 0) throws -> FieldValue {
        guard depth < maxDepth else { throw error("JSON nested deeper than \(maxDepth) levels") }
        guard let byte = try skipWhitespace() else { throw error("unexpected end of input, expected a value") }
        switch byte {
        case UInt8(ascii: "{"):
            _ = try stream.next()
            var pairs: [(key: String, value: FieldValue)] = []
            if try skipWhitespace() == UInt8(ascii: "}") {
                _ = try stream.next()
                return .object(pairs)
            }
            while true {
                guard try skipWhitespace() == UInt8(ascii: "\"") else { throw error("expected a string key") }
                let key = try parseString()
                try expect(UInt8(ascii: ":"))
                pairs.append((key, try parseValue(depth: depth + 1)))
                let separator = try skipWhitespace()
                _ = try stream.next()
                if separator == UInt8(ascii: "}") { return .object(pairs) }
                guard separator == UInt8(ascii: ",") else { throw error("expected ',' or '}' in an object") }
            }
        case UInt8(ascii: "["):
            _ = try stream.next()
            var items: [FieldValue] = []
            if try skipWhitespace() == UInt8(ascii: "]") {
                _ = try stream.next()
                return .list(items)
            }
            while true {
                items.append(try parseValue(depth: depth + 1))
                let separator = try skipWhitespace()
                _ = try stream.next()
                if separator == UInt8(ascii: "]") { return .list(items) }
                guard separator == UInt8(ascii: ",") else { throw error("expected ',' or ']' in an array") }
            }
        case UInt8(ascii: "\""):
            return .text(try parseString())
        case UInt8(ascii: "t"):
            try parseLiteral("true")
            return .boolean(true)
        case UInt8(ascii: "f"):
            try parseLiteral("false")
            return .boolean(false)
        case UInt8(ascii: "n"):
            try parseLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            throw error("unexpected \(JSONValueParser.shown(byte))")
        }
    }

    private func parseLiteral(_ word: StaticString) throws {
        for index in 0..<word.utf8CodeUnitCount {
            guard try stream.next() == word.utf8Start[index] else { throw error("invalid literal, expected \(word)") }
        }
    }

    private func parseNumber() throws -> FieldValue {
        var bytes: [UInt8] = []
        var isWhole = true
        while let byte = try stream.peek() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"): break
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"): isWhole = false
            default:
                return try makeNumber(bytes, isWhole: isWhole)
            }
            bytes.append(byte)
            _ = try stream.next()
        }
        return try makeNumber(bytes, isWhole: isWhole)
    }

    private func makeNumber(_ bytes: [UInt8], isWhole: Bool) throws -> FieldValue {
        let text = String(decoding: bytes, as: UTF8.self)
        // A token with an exponent is given back as written (never expanded into digits); a plain
        // one in canonical form, as before (`1.50` is `1.5`).
        let hasExponent = bytes.contains(UInt8(ascii: "e")) || bytes.contains(UInt8(ascii: "E"))
        guard JSONValueParser.isJSONNumber(bytes),
            let decimal = hasExponent ? ExactDecimal(writtenAs: text) : ExactDecimal(text)
        else {
            throw error("invalid number '\(text)'")
        }
        if isWhole, let integer = Int64(text) { return .integer(integer) }
        return .decimal(decimal)
    }

    /// RFC 8259 number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func isJSONNumber(_ bytes: [UInt8]) -> Bool {
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count && bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
            return index - start
        }
        if index < bytes.count && bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { return false }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else if digits() == 0 { return false }
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            if digits() == 0 { return false }
        }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
                index += 1
            }
            if digits() == 0 { return false }
        }
        return index == bytes.count
    }

    private func parseString() throws -> String {
        _ = try stream.next()  // the opening quote
        var bytes: [UInt8] = []
        while true {
            guard let byte = try stream.next() else { throw error("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                let text = String(decoding: bytes, as: UTF8.self)
                return stream.mayNeedNormalization ? text.precomposedNFC : text
            case UInt8(ascii: "\\"):
                guard let escaped = try stream.next() else { throw error("unterminated string") }
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(escaped)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard try stream.next() == UInt8(ascii: "\\"), try stream.next() == UInt8(ascii: "u") else {
                            throw error("a lone UTF-16 surrogate in \\u escape")
                        }
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("invalid UTF-16 surrogate pair") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw error("a lone UTF-16 surrogate in \\u escape")
                    }
                    bytes.append(contentsOf: Array(String(Unicode.Scalar(scalar)!).utf8))
                default:
                    throw error("invalid escape: \\ followed by \(JSONValueParser.shown(escaped))")
                }
            case 0..<0x20:
                throw error("unescaped control character in a string")
            default:
                bytes.append(byte)
            }
        }
    }

    private func parseHex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = try stream.next() else { throw error("unterminated \\u escape") }
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - 0x61 + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - 0x41 + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value << 4 | digit
        }
        return value
    }
}

extension String {
    /// The string in Unicode NFC.
    var precomposedNFC: String { Normalization.nfc(self) }
}
