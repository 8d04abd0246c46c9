/// An exact decimal number, kept as its digits: `0.1` stays `0.1`, never a binary float.
///
/// Stored in canonical form (no leading zeros in the integer part, no trailing zeros in
/// the fraction, no negative zero), so equal numbers have equal representations and
/// `description` is a valid JSON number.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// True for numbers below zero.
    public let isNegative: Bool
    /// The integer digits, at least `"0"`.
    public let integerDigits: String
    /// The fraction digits, possibly empty.
    public let fractionDigits: String

    /// Parses plain decimal text: optional sign, digits, optional `.` and digits, optional exponent.
    ///
    /// Group separators, currency signs and units are the caller's business
    /// (see ``NumberParsing``); this accepts only the plain form.
    public init?(_ text: some StringProtocol) {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var intPart: [UInt8] = []
        var fracPart: [UInt8] = []
        var sawDot = false
        var exponent = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 {
                if sawDot { fracPart.append(byte) } else { intPart.append(byte) }
            } else if byte == UInt8(ascii: ".") && !sawDot {
                sawDot = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                guard let exp = Int(String(decoding: bytes[(index + 1)...], as: UTF8.self)),
                      abs(exp) < 10_000 else { return nil }
                exponent = exp
                break
            } else {
                return nil
            }
            index += 1
        }
        guard !intPart.isEmpty || !fracPart.isEmpty else { return nil }
        // Apply the exponent by moving the decimal point.
        var digits = intPart + fracPart
        var pointPosition = intPart.count + exponent
        if pointPosition < 0 {
            digits = Array(repeating: 0x30, count: -pointPosition) + digits
            pointPosition = 0
        } else if pointPosition > digits.count {
            digits += Array(repeating: 0x30, count: pointPosition - digits.count)
        }
        self.init(negative: negative, integer: digits[..<pointPosition], fraction: digits[pointPosition...])
    }

    /// Makes a decimal from an integer.
    public init(_ value: Int64) {
        self.init(negative: value < 0, integer: Array(String(value.magnitude).utf8)[...], fraction: [])
    }

    private init(negative: Bool, integer: ArraySlice<UInt8>, fraction: ArraySlice<UInt8>) {
        let trimmedInt = integer.drop { $0 == 0x30 }
        var fractionEnd = fraction.endIndex
        while fractionEnd > fraction.startIndex && fraction[fractionEnd - 1] == 0x30 { fractionEnd -= 1 }
        let trimmedFrac = fraction[fraction.startIndex..<fractionEnd]
        integerDigits = trimmedInt.isEmpty ? "0" : String(decoding: trimmedInt, as: UTF8.self)
        fractionDigits = String(decoding: trimmedFrac, as: UTF8.self)
        isNegative = negative && !(trimmedInt.isEmpty && trimmedFrac.isEmpty)
    }

    /// The value as a 64-bit integer, if it is whole and fits.
    public var int64Value: Int64? {
        guard fractionDigits.isEmpty, let magnitude = Int64(integerDigits) else { return nil }
        return isNegative ? -magnitude : magnitude
    }

    /// True when the number has no fraction.
    public var isWhole: Bool { fractionDigits.isEmpty }

    /// Canonical text, e.g. `-1234.5`; valid as a JSON number.
    public var description: String {
        (isNegative ? "-" : "") + integerDigits + (fractionDigits.isEmpty ? "" : "." + fractionDigits)
    }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        if lhs.isNegative != rhs.isNegative { return lhs.isNegative }
        let magnitudeLess = compareMagnitude(lhs, rhs)
        return lhs.isNegative ? magnitudeLess == .orderedDescending : magnitudeLess == .orderedAscending
    }

    private enum Ordering { case orderedAscending, orderedSame, orderedDescending }

    private static func compareMagnitude(_ a: ExactDecimal, _ b: ExactDecimal) -> Ordering {
        if a.integerDigits.utf8.count != b.integerDigits.utf8.count {
            return a.integerDigits.utf8.count < b.integerDigits.utf8.count ? .orderedAscending : .orderedDescending
        }
        if a.integerDigits != b.integerDigits {
            return a.integerDigits < b.integerDigits ? .orderedAscending : .orderedDescending
        }
        // Same integer part: compare fractions digit by digit (ASCII digits compare like numbers).
        let fa = Array(a.fractionDigits.utf8), fb = Array(b.fractionDigits.utf8)
        for i in 0..<max(fa.count, fb.count) {
            let da = i < fa.count ? fa[i] : 0x30, db = i < fb.count ? fb[i] : 0x30
            if da != db { return da < db ? .orderedAscending : .orderedDescending }
        }
        return .orderedSame
    }
}
