import PublicaCore

/// A cell's `t` attribute (ECMA-376 §18.18.11); anything unknown reads as a number, as before.
enum CellType: Equatable {
    case number, sharedString, inlineString, formulaString, boolean, error, isoDate

    /// The type its attribute's bytes name (nil: no attribute, a number).
    init(_ bytes: UnsafeBufferPointer<UInt8>?) {
        guard let bytes, let first = bytes.first else {
            self = .number
            return
        }
        if bytes.count == 1 {
            switch first {
            case UInt8(ascii: "s"): self = .sharedString
            case UInt8(ascii: "b"): self = .boolean
            case UInt8(ascii: "e"): self = .error
            case UInt8(ascii: "d"): self = .isoDate
            default: self = .number
            }
        } else if bytes.elementsEqual("inlineStr".utf8) {
            self = .inlineString
        } else if bytes.elementsEqual("str".utf8) {
            self = .formulaString
        } else {
            self = .number
        }
    }
}

/// A cell's stored text and type as the value Publica keeps.
enum CellDecoder {
    enum Outcome {
        case value(FieldValue)
        /// The cell holds an error value or cannot be made a value: its row is rejected.
        case problem(String)
        /// The workbook contradicts itself (a shared string that is not there): reading stops.
        case fatal(String)
    }

    static func decode(
        type: CellType, text bytes: UnsafeBufferPointer<UInt8>, kind: NumberFormat.Kind, sharedStrings: [String],
        uses1904: Bool
    ) -> Outcome {
        switch type {
        case .sharedString:
            // The usual index is plain digits: read without making a String.
            if let index = plainInteger(bytes), index >= 0, index < Int64(sharedStrings.count) {
                return .value(.text(sharedStrings[Int(index)]))
            }
            let text = String(decoding: bytes, as: UTF8.self).trimmingSpaces
            guard let index = Int(text), sharedStrings.indices.contains(index) else {
                return .fatal(
                    "shared string index '\(text)' is missing (the table has \(sharedStrings.count) strings)")
            }
            return .value(.text(sharedStrings[index]))
        case .inlineString, .formulaString:
            return .value(.text(CellText.normalized(bytes)))
        case .boolean:
            let text = String(decoding: bytes, as: UTF8.self).trimmingSpaces
            guard text == "1" || text == "0" || text == "true" || text == "false" else {
                return .problem("boolean cell holds '\(text)'")
            }
            return .value(.boolean(text == "1" || text == "true"))
        case .error:
            return .problem("the cell holds the error \(String(decoding: bytes, as: UTF8.self))")
        case .isoDate:
            return isoDate(String(decoding: bytes, as: UTF8.self))
        case .number:
            // An integer without a date format, the commonest number cell, without a String.
            if kind == .number || kind == .text, let integer = plainInteger(bytes) {
                return .value(.integer(integer))
            }
            let text = String(decoding: bytes, as: UTF8.self)
            return number(CellDecoder.mayHaveSpaces(bytes) ? text.trimmingSpaces : text, kind: kind, uses1904: uses1904)
        }
    }

    /// Whether the text may start or end with whitespace (ASCII or not), so trimming can
    /// change it; false lets a plain number skip the trim.
    static func mayHaveSpaces(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        return first <= 0x20 || first >= 0x80 || last <= 0x20 || last >= 0x80
    }

    /// `-?[0-9]{1,18}` as an integer (what `Int64(text)` gives for it); nil for anything else,
    /// which then takes the general path.
    static func plainInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { index = 1 }
        let digits = bytes.count - index
        guard digits > 0, digits <= 18 else { return nil }
        var value: Int64 = 0
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int64(digit)
            index += 1
        }
        return negative ? -value : value
    }

    /// A number cell: its written digits exactly (`0.1` stays `0.1`), or a date from its format.
    static func number(_ text: String, kind: NumberFormat.Kind, uses1904: Bool) -> Outcome {
        guard !text.isEmpty else { return .value(.null) }
        switch kind {
        case .date, .dateTime, .time:
            switch DateSerial.convert(text, kind: kind, uses1904: uses1904) {
            case .value(let value): return .value(value)
            case .invalid(let message): return .problem(message)
            }
        case .number, .text:
            if let integer = Int64(text) { return .value(.integer(integer)) }
            guard let decimal = ExactDecimal(writtenAs: text) else {
                return .problem("number cell holds '\(text)', which is not a number")
            }
            return .value(.decimal(decimal))
        }
    }

    /// A `t="d"` cell: ISO 8601 date or date-time text.
    static func isoDate(_ text: String) -> Outcome {
        let parts = text.split(separator: "T", maxSplits: 1)
        let dateParts = (parts.first ?? "").split(separator: "-").compactMap { Int($0) }
        guard dateParts.count == 3, let date = DateValue(year: dateParts[0], month: dateParts[1], day: dateParts[2])
        else { return .value(.text(text)) }
        guard parts.count == 2 else { return .value(.date(date)) }
        let time = parts[1].split(separator: ":").map { Int(Double($0.prefix { $0 != "Z" && $0 != "+" }) ?? -1) }
        guard time.count >= 2,
            let value = DateTimeValue(date: date, hour: time[0], minute: time[1], second: time.count > 2 ? time[2] : 0)
        else { return .value(.text(text)) }
        return .value(.dateTime(value))
    }
}
