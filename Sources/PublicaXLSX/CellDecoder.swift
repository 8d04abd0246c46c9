import PublicaCore

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
        type: String, text bytes: [UInt8], kind: NumberFormat.Kind, sharedStrings: [String], uses1904: Bool
    ) -> Outcome {
        switch type {
        case "s":
            let text = String(decoding: bytes, as: UTF8.self).trimmingSpaces
            guard let index = Int(text), sharedStrings.indices.contains(index) else {
                return .fatal(
                    "shared string index '\(text)' is missing (the table has \(sharedStrings.count) strings)")
            }
            return .value(.text(sharedStrings[index]))
        case "inlineStr", "str":
            return .value(.text(CellText.normalized(bytes)))
        case "b":
            let text = String(decoding: bytes, as: UTF8.self).trimmingSpaces
            guard text == "1" || text == "0" || text == "true" || text == "false" else {
                return .problem("boolean cell holds '\(text)'")
            }
            return .value(.boolean(text == "1" || text == "true"))
        case "e":
            return .problem("the cell holds the error \(String(decoding: bytes, as: UTF8.self))")
        case "d":
            return isoDate(String(decoding: bytes, as: UTF8.self))
        default:
            return number(String(decoding: bytes, as: UTF8.self).trimmingSpaces, kind: kind, uses1904: uses1904)
        }
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
