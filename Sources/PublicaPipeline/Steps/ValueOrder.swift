import PublicaCore
import PublicaJSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The order `sort`, `min` and `max` put values in: a total order, so a sort and its k-way
/// merge agree.
///
/// Numbers (integers and decimals together) compare by value, exactly; dates and date-times
/// chronologically (a date-time with an offset at its UTC instant, a local one as if UTC);
/// booleans false first; text by its UTF-8 bytes (the order of Unicode scalars), so numbers
/// still in text compare as text (`10` < `9`): cast them first to sort them as numbers.
/// Comparing text that reads as a number numerically would not be a total order (`9` < `10`
/// < `1a` < `9`). Values of different kinds go numbers, booleans, dates, date-times, text,
/// lists, objects. Missing values (null or empty text) are not ordered here: see ``isMissing(_:)``.
enum ValueOrder {
    /// Null or empty text: what sorts last and what `sum`, `min`… skip.
    static func isMissing(_ value: FieldValue) -> Bool {
        switch value {
        case .null: true
        case .text(let text): text.isEmpty
        default: false
        }
    }

    /// -1, 0 or 1 as `a` goes before, with, or after `b`.
    static func compare(_ a: FieldValue, _ b: FieldValue) -> Int {
        // The usual cases first, without building a tuple of both values (a copy of each).
        if case .text(let x) = a, case .text(let y) = b { return compareBytes(x, y) }
        if case .integer(let x) = a, case .integer(let y) = b { return x < y ? -1 : x == y ? 0 : 1 }
        let (rankA, rankB) = (rank(a), rank(b))
        if rankA != rankB { return rankA < rankB ? -1 : 1 }
        switch (a, b) {
        case (.text(let x), .text(let y)): return compareBytes(x, y)
        case (.integer(let x), .integer(let y)): return x < y ? -1 : x == y ? 0 : 1
        case (.boolean(let x), .boolean(let y)): return x == y ? 0 : x ? 1 : -1
        case (.date(let x), .date(let y)): return x < y ? -1 : x == y ? 0 : 1
        case (.dateTime(let x), .dateTime(let y)): return compare(x, y)
        default:
            if let x = number(a), let y = number(b) { return x < y ? -1 : x == y ? 0 : 1 }
            return compareBytes(a.textValue ?? "", b.textValue ?? "")
        }
    }

    /// UTF-8 byte order; `==` on strings would call canonically equivalent texts equal, which
    /// bytes do not.
    private static func compareBytes(_ x: String, _ y: String) -> Int {
        let fast = x.utf8.withContiguousStorageIfAvailable { a in
            y.utf8.withContiguousStorageIfAvailable { b in
                BlockArena.compare(UnsafeRawBufferPointer(a), UnsafeRawBufferPointer(b))
            }
        }
        if let fast = fast ?? nil { return fast }
        return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : y.utf8.lexicographicallyPrecedes(x.utf8) ? 1 : 0
    }

    private static func rank(_ value: FieldValue) -> Int {
        switch value {
        case .integer, .decimal: 0
        case .boolean: 1
        case .date: 2
        case .dateTime: 3
        case .null, .text: 4
        case .list: 5
        case .object: 6
        }
    }

    static func number(_ value: FieldValue) -> ExactDecimal? {
        switch value {
        case .integer(let number): ExactDecimal(number)
        case .decimal(let number): number
        default: nil
        }
    }

    private static func compare(_ a: DateTimeValue, _ b: DateTimeValue) -> Int {
        let (x, y) = (minutes(a), minutes(b))
        if x != y { return x < y ? -1 : 1 }
        if a.second != b.second { return a.second < b.second ? -1 : 1 }
        // Fractions as written: compare digit by digit, a missing digit as 0 ("25" = "250").
        let (fa, fb) = (Array(a.fraction.utf8), Array(b.fraction.utf8))
        for index in 0..<max(fa.count, fb.count) {
            let (da, db) = (index < fa.count ? fa[index] : 0x30, index < fb.count ? fb[index] : 0x30)
            if da != db { return da < db ? -1 : 1 }
        }
        return 0
    }

    /// Minutes since 0001-01-01T00:00 UTC (a local time taken as UTC).
    static func minutes(_ time: DateTimeValue) -> Int {
        days(time.date) * 1440 + time.hour * 60 + time.minute - (time.utcOffsetMinutes ?? 0)
    }

    /// Days since 0001-01-01 (proleptic Gregorian).
    private static func days(_ date: DateValue) -> Int {
        let year = date.year - 1
        var total = year * 365 + year / 4 - year / 100 + year / 400
        let month = date.month ?? 1
        let cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        total += cumulative[month - 1] + (date.day ?? 1) - 1
        let leap = (date.year % 4 == 0 && date.year % 100 != 0) || date.year % 400 == 0
        if leap && month > 2 { total += 1 }
        return total
    }
}
