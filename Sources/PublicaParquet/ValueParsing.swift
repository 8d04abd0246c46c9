/// Reads values from their text (UTF-8 bytes), as a cast writes them or a file holds them: no
/// `String` per value. Each returns nil for text that is not a value of its type.
enum ValueParsing {
    /// Table Schema's default true and false values.
    static func boolean(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        switch bytes.count {
        case 1: return bytes[0] == UInt8(ascii: "1") ? true : bytes[0] == UInt8(ascii: "0") ? false : nil
        case 4: return matches(bytes, "true") ? true : nil
        case 5: return matches(bytes, "false") ? false : nil
        default: return nil
        }
    }

    /// `word` in lower case, with a capital first letter, or in capitals (`true`, `True`, `TRUE`).
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        let lower = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        func spells(capitals: Int) -> Bool {
            bytes.indices.allSatisfy { bytes[$0] == (($0 < capitals) ? lower[$0] &- 32 : lower[$0]) }
        }
        return spells(capitals: 0) || spells(capitals: 1) || spells(capitals: bytes.count)
    }

    /// `YYYY-MM-DD` as days since 1970-01-01 (negative before).
    static func date(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = digits(bytes, 0, 4), let month = digits(bytes, 5, 2), let day = digits(bytes, 8, 2),
            month >= 1 && month <= 12, day >= 1 && day <= daysIn(month: month, year: year)
        else { return nil }
        return Int32(days(year: year, month: month, day: day))
    }

    /// `YYYY-MM-DDTHH:MM[:SS[.ffffff]][Z|±HH:MM]` (or a space for `T`) as microseconds since
    /// 1970-01-01T00:00Z, counting the clock time as UTC when there is no offset; whether there
    /// was one. Nil for digits finer than microseconds that are not zeros.
    static func timestamp(_ bytes: UnsafeBufferPointer<UInt8>) -> (micros: Int64, hasOffset: Bool)? {
        guard bytes.count >= 16, let day = date(UnsafeBufferPointer(rebasing: bytes[0..<10])),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
            let hour = digits(bytes, 11, 2), bytes[13] == UInt8(ascii: ":"), let minute = digits(bytes, 14, 2),
            hour <= 24, minute <= 59
        else { return nil }
        var index = 16
        var second = 0
        var micros = 0
        if index < bytes.count && bytes[index] == UInt8(ascii: ":") {
            guard let seconds = digits(bytes, 17, 2), seconds <= 60 else { return nil }
            second = seconds
            index = 19
            if index < bytes.count && (bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",")) {
                index += 1
                var place = 100_000
                let start = index
                while index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39 {
                    let digit = Int(bytes[index] - 0x30)
                    if place > 0 {
                        micros += digit * place
                        place /= 10
                    } else if digit != 0 {
                        return nil
                    }
                    index += 1
                }
                guard index > start else { return nil }
            }
        }
        var offsetMinutes: Int?
        if index < bytes.count {
            if bytes[index] == UInt8(ascii: "Z") && index + 1 == bytes.count {
                offsetMinutes = 0
            } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                guard let hours = digits(bytes, index + 1, 2) else { return nil }
                var minutesAt = index + 3
                if minutesAt < bytes.count && bytes[minutesAt] == UInt8(ascii: ":") { minutesAt += 1 }
                guard minutesAt + 2 == bytes.count, let minutes = digits(bytes, minutesAt, 2) else { return nil }
                offsetMinutes = sign * (hours * 60 + minutes)
            } else {
                return nil
            }
        }
        let seconds = Int64(day) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64((offsetMinutes ?? 0) * 60)
        return (seconds * 1_000_000 + Int64(micros), offsetMinutes != nil)
    }

    /// `count` decimal digits at `start`, or nil.
    private static func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        guard start + count <= bytes.count else { return nil }
        var value = 0
        for index in start..<(start + count) {
            let digit = Int(bytes[index]) - 0x30
            guard digit >= 0 && digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
