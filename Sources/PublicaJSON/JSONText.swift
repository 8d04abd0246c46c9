import PublicaCore

/// Renders typed values as JSON text, the way every Publica output shows them.
///
/// Integers and decimals are JSON numbers, dates ISO 8601 strings at their precision,
/// booleans `true`/`false`, null `null`, lists arrays and objects objects (keys in order).
public enum JSONText {
    /// The value as JSON text.
    public static func render(_ value: FieldValue) -> String {
        var bytes: [UInt8] = []
        append(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the value's JSON text to `bytes`.
    public static func append(_ value: FieldValue, to bytes: inout [UInt8]) {
        switch value {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .text(let text): JSONEscaping.appendQuoted(text, to: &bytes)
        case .integer(let number): bytes.append(contentsOf: String(number).utf8)
        case .decimal(let number): bytes.append(contentsOf: number.description.utf8)
        case .boolean(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .date(let date): JSONEscaping.appendQuoted(date.description, to: &bytes)
        case .dateTime(let dateTime): JSONEscaping.appendQuoted(dateTime.description, to: &bytes)
        case .list(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                append(item, to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let pairs):
            bytes.append(UInt8(ascii: "{"))
            for (index, pair) in pairs.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONEscaping.appendQuoted(pair.key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                append(pair.value, to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }
}
