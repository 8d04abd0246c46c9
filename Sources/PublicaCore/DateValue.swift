/// A calendar date at the precision it was written with: `2022`, `2022-06` or `2022-09-02`.
///
/// A year-month stays a year-month: Publica never invents a day that the source did not give.
public struct DateValue: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// How much of the date is known.
    public enum Precision: Int, Sendable, Hashable, Comparable, CustomStringConvertible {
        case year = 1, month, day

        /// Coarser first: year, then month, then day.
        public static func < (lhs: Precision, rhs: Precision) -> Bool { lhs.rawValue < rhs.rawValue }

        /// `year`, `month` or `day`.
        public var description: String {
            switch self {
            case .year: "year"
            case .month: "month"
            case .day: "day"
            }
        }
    }

    /// The year, 1 to 9999.
    public let year: Int
    /// The month, 1 to 12; nil when only the year is known.
    public let month: Int?
    /// The day of the month; nil when the day is not known.
    public let day: Int?

    /// Makes a date; returns nil for impossible dates (month 13, 31 April, 29 February in a common year).
    public init?(year: Int, month: Int? = nil, day: Int? = nil) {
        guard (1...9999).contains(year) else { return nil }
        if let month {
            guard (1...12).contains(month) else { return nil }
            if let day {
                guard day >= 1 && day <= DateValue.daysIn(month: month, year: year) else { return nil }
            }
        } else if day != nil {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// How much of the date is known: a day, a month or only a year.
    public var precision: Precision { day != nil ? .day : (month != nil ? .month : .year) }

    /// ISO 8601 at the date's precision: `2022`, `2022-06`, `2022-09-02`.
    public var description: String {
        var text = pad(year, 4)
        if let month { text += "-" + pad(month, 2) }
        if let day { text += "-" + pad(day, 2) }
        return text
    }

    /// Calendar order; a coarser date comes before the finer ones inside it (`2022` < `2022-01` <
    /// `2022-01-01`).
    public static func < (lhs: DateValue, rhs: DateValue) -> Bool {
        (lhs.year, lhs.month ?? 0, lhs.day ?? 0) < (rhs.year, rhs.month ?? 0, rhs.day ?? 0)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// A date with a time of day and, when known, an offset from UTC.
public struct DateTimeValue: Sendable, Hashable, CustomStringConvertible {
    /// The calendar day; always of day precision.
    public let date: DateValue
    /// The hour, 0 to 23.
    public let hour: Int
    /// The minute, 0 to 59.
    public let minute: Int
    /// The second, 0 to 60 (60 for a leap second).
    public let second: Int
    /// Fraction-of-second digits as written (`"250"` for `.250`), empty when none.
    public let fraction: String
    /// Minutes east of UTC; nil for a local (floating) time.
    public let utcOffsetMinutes: Int?

    /// Makes a date-time; nil when `date` is not a full day or the time is out of range.
    public init?(
        date: DateValue, hour: Int, minute: Int, second: Int = 0, fraction: String = "", utcOffsetMinutes: Int? = nil
    ) {
        guard date.precision == .day, (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        self.date = date
        self.hour = hour
        self.minute = minute
        self.second = second
        self.fraction = fraction
        self.utcOffsetMinutes = utcOffsetMinutes
    }

    /// ISO 8601: `2022-09-02T14:30:00`, with `Z` or `+09:00` when the offset is known.
    public var description: String {
        var text = "\(date)T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
        if !fraction.isEmpty { text += "." + fraction }
        if let offset = utcOffsetMinutes {
            if offset == 0 {
                text += "Z"
            } else {
                text += (offset < 0 ? "-" : "+") + pad(abs(offset) / 60, 2) + ":" + pad(abs(offset) % 60, 2)
            }
        }
        return text
    }
}

func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
