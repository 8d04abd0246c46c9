import PublicaCore
import PublicaJSON

/// Casts cell text to typed values as a Table Schema field says; nil means a type error.
public enum ValueCaster {
    /// The typed value of `text` for `field` (the caller has already handled missing values).
    public static func cast(_ text: String, field: SchemaField) -> FieldValue? {
        switch field.type {
        case .string:
            return StringFormat.check(text, format: field.format) ? .text(text) : nil
        case .any:
            return .text(text)
        case .integer:
            guard let digits = numberText(text, field: field), let value = Int64(digits) else { return nil }
            return .integer(value)
        case .number:
            guard let digits = numberText(text, field: field) else { return nil }
            if ["NaN", "INF", "-INF", "Infinity", "-Infinity"].contains(digits) { return .text(digits) }
            guard let value = ExactDecimal(digits) else { return nil }
            return .decimal(value)
        case .boolean:
            if field.trueValues.contains(text) { return .boolean(true) }
            if field.falseValues.contains(text) { return .boolean(false) }
            return nil
        case .date:
            return DateParsing.date(text, format: field.format).map(FieldValue.date)
        case .datetime:
            return DateParsing.dateTime(text, format: field.format).map(FieldValue.dateTime)
        case .time:
            return DateParsing.time(text) ? .text(text) : nil
        case .year:
            guard text.utf8.count == 4, let year = Int64(text) else { return nil }
            return .integer(year)
        case .yearmonth:
            let parts = text.split(separator: "-")
            guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]),
                let value = DateValue(year: year, month: month)
            else { return nil }
            return .date(value)
        case .duration:
            return DateParsing.duration(text) ? .text(text) : nil
        case .object, .geojson:
            let trimmed = text.trimmingSpaces
            return trimmed.hasPrefix("{") && trimmed.hasSuffix("}") ? .text(text) : nil
        case .array:
            let trimmed = text.trimmingSpaces
            return trimmed.hasPrefix("[") && trimmed.hasSuffix("]") ? .text(text) : nil
        case .list:
            return .list(text.split(separator: ",", omittingEmptySubsequences: false).map { .text(String($0)) })
        case .geopoint:
            return geopoint(text, format: field.format) ? .text(text) : nil
        }
    }

    /// A constraint value from a descriptor (`"minimum": 0`, `"enum": ["A"]`), cast to the field's type.
    static func castConstraint(_ value: FieldValue, field: SchemaField) -> FieldValue? {
        switch (value, field.type) {
        case (.integer(let number), .integer), (.integer(let number), .year): return .integer(number)
        case (.integer(let number), .number): return .decimal(ExactDecimal(number))
        case (.decimal(let number), .number): return .decimal(number)
        case (.boolean, .boolean): return value
        case (.text(let text), _): return cast(text, field: field)
        case (_, .any), (_, .string): return value.textValue.map(FieldValue.text)
        default: return nil
        }
    }

    /// The number's text with group characters removed, the decimal character made `.`, and,
    /// when `bareNumber` is false, the text around it (`원`, `%`, `$`) dropped.
    static func numberText(_ text: String, field: SchemaField) -> String? {
        var digits = text
        if !field.bareNumber {
            let numeric: (Character) -> Bool = { $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") }
            guard let first = digits.firstIndex(where: numeric),
                let last = digits.lastIndex(where: { $0.isASCII && $0.isNumber })
            else { return nil }
            digits = String(digits[first...last])
        }
        if let group = field.groupChar, group.count == 1, let separator = group.first, digits.contains(separator) {
            digits.removeAll { $0 == separator }
        }
        if field.decimalChar != "." {
            digits = String(digits.map { String($0) == field.decimalChar ? "." : $0 })
        }
        return digits.isEmpty ? nil : digits
    }

    /// Order of two typed values of one field, for minimum and maximum; nil when not comparable.
    static func compare(_ a: FieldValue, _ b: FieldValue) -> Int? {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return x < y ? -1 : x > y ? 1 : 0
        case (.integer(let x), .decimal(let y)): return compare(.decimal(ExactDecimal(x)), .decimal(y))
        case (.decimal(let x), .integer(let y)): return compare(.decimal(x), .decimal(ExactDecimal(y)))
        case (.decimal(let x), .decimal(let y)): return x < y ? -1 : x > y ? 1 : 0
        case (.date(let x), .date(let y)): return x < y ? -1 : y < x ? 1 : 0
        case (.dateTime(let x), .dateTime(let y)):
            return x.description < y.description ? -1 : x.description > y.description ? 1 : 0
        case (.text(let x), .text(let y)): return x < y ? -1 : x > y ? 1 : 0
        default: return nil
        }
    }

    private static func geopoint(_ text: String, format: String) -> Bool {
        var body = text.trimmingSpaces
        if format == "array" {
            guard body.hasPrefix("["), body.hasSuffix("]") else { return false }
            body = String(body.dropFirst().dropLast())
        } else if format == "object" {
            return body.hasPrefix("{") && body.contains("lon") && body.contains("lat")
        }
        let parts = body.split(separator: ",").map { String($0).trimmingSpaces }
        guard parts.count == 2, let lon = ExactDecimal(parts[0]), let lat = ExactDecimal(parts[1]) else { return false }
        return lon >= ExactDecimal(-180) && ExactDecimal(180) >= lon && lat >= ExactDecimal(-90)
            && ExactDecimal(90) >= lat
    }
}

/// String formats: `email`, `uri`, `uuid`, `binary`; `default` accepts anything.
enum StringFormat {
    static func check(_ text: String, format: String) -> Bool {
        switch format {
        case "email":
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
        case "uri":
            guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return false }
            return text[..<colon].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
                && !text.contains(" ")
        case "uuid":
            let groups = text.split(separator: "-", omittingEmptySubsequences: false)
            return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
        default:
            return true
        }
    }
}

/// Dates and times: ISO 8601 by default, strptime patterns (`%Y.%m.%d`, `%Y년 %m월 %d일`), and
/// `any`, which tries the forms government data uses.
enum DateParsing {
    static let anyDateFormats = ["%Y-%m-%d", "%Y.%m.%d", "%Y/%m/%d", "%Y%m%d", "%Y년 %m월 %d일", "%Y. %m. %d"]

    static func date(_ text: String, format: String) -> DateValue? {
        if format == "default" || format == "any", let value = isoDate(text) { return value }
        switch format {
        case "default": return parse(text, pattern: "%Y-%m-%d", strictWidth: true).flatMap(\.date)
        case "any": return anyDateFormats.lazy.compactMap { parse(text, pattern: $0, strictWidth: false)?.date }.first
        default: return parse(text, pattern: format, strictWidth: false).flatMap(\.date)
        }
    }

    /// `YYYY-MM-DD` read straight from the bytes (the common case, without allocating).
    static func isoDate(_ text: String) -> DateValue? {
        var text = text
        return text.withUTF8 { bytes -> DateValue? in
            guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return nil }
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for index in range {
                    let digit = Int(bytes[index]) - 0x30
                    guard digit >= 0 && digit <= 9 else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
            return DateValue(year: year, month: month, day: day)
        }
    }

    static func dateTime(_ text: String, format: String) -> DateTimeValue? {
        if format != "default" && format != "any" {
            return parse(text, pattern: format, strictWidth: false)?.dateTime
        }
        // YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]
        let parts = text.split(separator: "T", maxSplits: 1)
        guard parts.count == 2, let date = date(String(parts[0]), format: "default") else { return nil }
        var rest = Substring(parts[1])
        var offset: Int?
        if rest.hasSuffix("Z") {
            offset = 0
            rest = rest.dropLast()
        } else if let sign = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = rest[rest.index(after: sign)...].split(separator: ":")
            guard zone.count == 2, let hours = Int(zone[0]), let minutes = Int(zone[1]) else { return nil }
            offset = (hours * 60 + minutes) * (rest[sign] == "-" ? -1 : 1)
            rest = rest[..<sign]
        }
        let clock = rest.split(separator: ":")
        guard clock.count == 3, clock[0].count == 2, clock[1].count == 2, let hour = Int(clock[0]),
            let minute = Int(clock[1])
        else { return nil }
        let secondParts = clock[2].split(separator: ".", maxSplits: 1)
        guard let secondText = secondParts.first, secondText.count == 2, let second = Int(secondText) else {
            return nil
        }
        let fraction = secondParts.count == 2 ? String(secondParts[1]) : ""
        guard fraction.allSatisfy(\.isNumber) else { return nil }
        return DateTimeValue(
            date: date, hour: hour, minute: minute, second: second, fraction: fraction, utcOffsetMinutes: offset)
    }

    static func time(_ text: String) -> Bool {
        let clock = text.split(separator: ":")
        guard clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]),
            let second = Int(clock[2].prefix(2))
        else { return false }
        return (0...23).contains(hour) && (0...59).contains(minute) && (0...60).contains(second)
    }

    static func duration(_ text: String) -> Bool {
        guard text.hasPrefix("P"), text.count > 1 else { return false }
        var sawTime = false
        var digits = 0
        for character in text.dropFirst() {
            if character.isNumber || character == "." {
                digits += 1
            } else if character == "T" {
                guard !sawTime, digits == 0 else { return false }
                sawTime = true
            } else if "YMWDHS".contains(character) {
                guard digits > 0 else { return false }
                digits = 0
            } else {
                return false
            }
        }
        return digits == 0
    }

    struct Parsed {
        var year: Int?, month: Int?, day: Int?, hour = 0, minute = 0, second = 0
        var date: DateValue? { year.flatMap { DateValue(year: $0, month: month ?? 1, day: day ?? 1) } }
        var dateTime: DateTimeValue? {
            date.flatMap { DateTimeValue(date: $0, hour: hour, minute: minute, second: second) }
        }
    }

    /// A strptime subset: `%Y %m %d %H %M %S %y`, other characters literal, spaces flexible.
    static func parse(_ text: String, pattern: String, strictWidth: Bool) -> Parsed? {
        let input = Array(text.unicodeScalars)
        let format = Array(pattern.unicodeScalars)
        var position = 0
        var index = 0
        var parsed = Parsed()
        func number(maxDigits: Int, exact: Bool) -> Int? {
            var value = 0, count = 0
            while count < maxDigits, position < input.count, let digit = Int(String(input[position])),
                input[position].isASCII
            {
                value = value * 10 + digit
                position += 1
                count += 1
            }
            return count == 0 || (exact && count != maxDigits) ? nil : value
        }
        while index < format.count {
            let scalar = format[index]
            if scalar == "%" && index + 1 < format.count {
                let directive = format[index + 1]
                index += 2
                switch directive {
                case "Y": guard let value = number(maxDigits: 4, exact: true) else { return nil }; parsed.year = value
                case "y":
                    guard let value = number(maxDigits: 2, exact: true) else { return nil }; parsed.year = 2000 + value
                case "m":
                    guard let value = number(maxDigits: 2, exact: strictWidth) else { return nil }; parsed.month = value
                case "d":
                    guard let value = number(maxDigits: 2, exact: strictWidth) else { return nil }; parsed.day = value
                case "H": guard let value = number(maxDigits: 2, exact: false) else { return nil }; parsed.hour = value
                case "M":
                    guard let value = number(maxDigits: 2, exact: false) else { return nil }; parsed.minute = value
                case "S":
                    guard let value = number(maxDigits: 2, exact: false) else { return nil }; parsed.second = value
                case "%": guard position < input.count, input[position] == "%" else { return nil }; position += 1
                default: return nil
                }
            } else if scalar == " " {
                while position < input.count && input[position] == " " { position += 1 }
                index += 1
            } else {
                guard position < input.count, input[position] == scalar else { return nil }
                position += 1
                index += 1
            }
        }
        return position == input.count ? parsed : nil
    }
}
