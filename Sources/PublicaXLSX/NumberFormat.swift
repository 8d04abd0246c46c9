import PublicaCore

/// What a cell's number format makes of a number: the number itself, a date, a date and time,
/// a time of day, or text (`@`).
enum NumberFormat {
    enum Kind: Sendable, Hashable {
        case number
        case date
        case dateTime
        case time
        case text
    }

    /// The kind of a built-in format id, or of a custom format's code.
    static func kind(id: Int, code: String?) -> Kind {
        if let code { return kind(code: code) }
        switch id {
        case 14...17, 27...31, 34...36, 50...58: return .date
        case 22: return .dateTime
        case 18...21, 32, 33, 45...47: return .time
        case 49: return .text
        default: return .number
        }
    }

    /// A custom format's kind from its first section, ignoring quoted text, escapes, and
    /// bracketed colours or locales (`[Red]`, `[$-412]`); elapsed-time brackets (`[h]`) count as time.
    static func kind(code: String) -> Kind {
        let section = code.split(separator: ";", omittingEmptySubsequences: false).first ?? ""
        if String(section).trimmingSpaces == "@" { return .text }
        var hasDate = false
        var hasTime = false
        var iterator = section.lowercased().makeIterator()
        while let character = iterator.next() {
            switch character {
            case "\"":
                while let next = iterator.next(), next != "\"" {}
            case "\\", "_", "*":
                _ = iterator.next()
            case "[":
                var inside = ""
                while let next = iterator.next(), next != "]" { inside.append(next) }
                if ["h", "hh", "m", "mm", "s", "ss"].contains(inside) { hasTime = true }
            case "d", "y", "e", "g": hasDate = true
            case "h", "s": hasTime = true
            case "m": hasDate = true  // months; minutes only appear beside h or s, which set hasTime
            default: continue
            }
        }
        if section.lowercased().contains("general") && !hasTime { return .number }
        switch (hasDate, hasTime) {
        case (true, true):
            // `mm:ss` or `h:mm`: an m beside time parts is minutes, not a month.
            return section.lowercased().contains(where: { "dye".contains($0) }) ? .dateTime : .time
        case (true, false): return .date
        case (false, true): return .time
        case (false, false): return .number
        }
    }
}

/// Excel's date serials: days since the epoch of the workbook's date system.
///
/// In the 1900 system serial 1 is 1900-01-01 and Excel counts a 1900-02-29 that never was
/// (serial 60, kept from Lotus 1-2-3), so serials from 61 on are one day ahead of the calendar.
/// In the 1904 system serial 0 is 1904-01-01.
enum DateSerial {
    enum Outcome: Equatable {
        case value(FieldValue)
        /// The serial cannot be a date (negative, past 9999, or the 1900-02-29 that never was).
        case invalid(String)
    }

    static func convert(_ text: String, kind: NumberFormat.Kind, uses1904: Bool) -> Outcome {
        guard let serial = Double(text), serial.isFinite, serial >= 0, serial < 2_958_466 else {
            return .invalid("the number \(text) is not a date serial in Excel's range")
        }
        var days = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if seconds == 86_400 {
            days += 1
            seconds = 0
        }
        if kind == .time { return .value(.text(timeText(seconds))) }
        let dayNumber: Int
        if uses1904 {
            dayNumber = civilDay(year: 1904, month: 1, day: 1) + days
        } else {
            if days == 60 {
                return .invalid("serial 60 is 1900-02-29, a day that does not exist (Excel's leap-year bug)")
            }
            if days == 0 { return .invalid("serial 0 is Excel's 1900-01-00, which is no date") }
            dayNumber = civilDay(year: 1899, month: 12, day: days < 60 ? 31 : 30) + days
        }
        let (year, month, day) = civilDate(dayNumber)
        guard let date = DateValue(year: year, month: month, day: day) else {
            return .invalid("serial \(text) is no date")
        }
        guard kind == .dateTime,
            let dateTime = DateTimeValue(
                date: date, hour: seconds / 3600, minute: seconds / 60 % 60, second: seconds % 60)
        else { return .value(.date(date)) }
        return .value(.dateTime(dateTime))
    }

    /// `14:30:00`.
    static func timeText(_ seconds: Int) -> String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func civilDay(year: Int, month: Int, day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day count since 1970-01-01.
    static func civilDate(_ dayNumber: Int) -> (Int, Int, Int) {
        let shifted = dayNumber + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
