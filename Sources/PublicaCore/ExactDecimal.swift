/// An exact decimal number, kept as its digits: `0.1` stays `0.1`, never a binary float.
///
/// Stored in canonical form (no leading zeros in the integer part, no trailing zeros in
/// the fraction, no negative zero), so equal numbers have equal representations and
/// `description` is a valid JSON number. A number whose exponent would expand into more than
/// ``maxExpandedZeros`` zeros (`1e9999`) is kept scaled instead: `0.<fractionDigits>` times ten
/// to the ``exponent``, so 650 KB of such numbers cannot become 500 MB of digits.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// True for numbers below zero.
    public let isNegative: Bool
    /// The integer digits, at least `"0"` (`"0"` when scaled).
    public let integerDigits: String
    /// The fraction digits, possibly empty (when scaled, all the significant digits).
    public let fractionDigits: String
    /// The power of ten the digits are scaled by; 0 unless the number is too large or small to expand.
    public let exponent: Int
    /// The text as written in the source, when it is to be given back unchanged (a JSON number
    /// token, see ``init(writtenAs:)``); not part of the value: `1.50` written equals `1.5`.
    public let writtenText: String?

    /// The most zeros an exponent is expanded into; past that the number stays scaled.
    public static let maxExpandedZeros = 64

    /// Equal values are equal whatever was written (`1.50` and `1.5`): the canonical digits are
    /// compared, never ``writtenText``.
    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        lhs.isNegative == rhs.isNegative && lhs.exponent == rhs.exponent
            && lhs.integerDigits == rhs.integerDigits && lhs.fractionDigits == rhs.fractionDigits
    }

    /// Hashes the canonical digits, as `==` compares them.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(isNegative)
        hasher.combine(integerDigits)
        hasher.combine(fractionDigits)
        hasher.combine(exponent)
    }

    /// A number as written in a source that must be given back as written (a JSON number):
    /// ``description`` is `text` itself, never re-expanded or rounded.
    public init?(writtenAs text: String) {
        guard let value = ExactDecimal(text, maxExponent: 1 << 50) else { return nil }
        self = value.with(writtenText: text)
    }

    private func with(writtenText: String) -> ExactDecimal {
        ExactDecimal(
            negative: isNegative, integerDigits: integerDigits, fractionDigits: fractionDigits,
            exponent: exponent, writtenText: writtenText)
    }

    private init(negative: Bool, integerDigits: String, fractionDigits: String, exponent: Int, writtenText: String?) {
        isNegative = negative
        self.integerDigits = integerDigits
        self.fractionDigits = fractionDigits
        self.exponent = exponent
        self.writtenText = writtenText
    }

    /// Parses plain decimal text: optional sign, digits, optional `.` and digits, optional exponent.
    ///
    /// Group separators, currency signs and units are the caller's business
    /// (a Table Schema's `groupChar`, `decimalChar` and `bareNumber`, applied in PublicaValidation);
    /// this accepts only the plain form.
    public init?(_ text: some StringProtocol) {
        self.init(text, maxExponent: 10_000)
    }

    private init?(_ text: some StringProtocol, maxExponent: Int) {
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
                    abs(exp) < maxExponent
                else { return nil }
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
        let significant = digits.drop { $0 == 0x30 }
        let leadingZeros = digits.count - significant.count
        let trailingZeros = significant.reversed().prefix { $0 == 0x30 }.count
        if !significant.isEmpty
            && (pointPosition - (digits.count - trailingZeros) > ExactDecimal.maxExpandedZeros
                || leadingZeros - pointPosition > ExactDecimal.maxExpandedZeros)
        {
            // Scaled: 0.<significant digits> x 10^(point), with no zeros at either end.
            self.init(
                negative: negative, integerDigits: "0",
                fractionDigits: String(decoding: significant.dropLast(trailingZeros), as: UTF8.self),
                exponent: pointPosition - leadingZeros, writtenText: nil)
            return
        }
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
        exponent = 0
        writtenText = nil
    }

    /// The value as a 64-bit integer, if it is whole and fits.
    public var int64Value: Int64? {
        guard exponent == 0, fractionDigits.isEmpty, let magnitude = Int64(integerDigits) else { return nil }
        return isNegative ? -magnitude : magnitude
    }

    /// True when the number has no fraction.
    public var isWhole: Bool { exponent == 0 ? fractionDigits.isEmpty : exponent >= fractionDigits.utf8.count }

    /// The text as written when kept (``writtenText``), else canonical text, e.g. `-1234.5`, or
    /// `1.5e100` when scaled; valid as a JSON number either way.
    public var description: String {
        if let writtenText { return writtenText }
        let sign = isNegative ? "-" : ""
        guard exponent == 0 else {
            let digits = fractionDigits
            let rest = digits.dropFirst()
            return sign + String(digits.prefix(1)) + (rest.isEmpty ? "" : "." + rest) + "e\(exponent - 1)"
        }
        return sign + integerDigits + (fractionDigits.isEmpty ? "" : "." + fractionDigits)
    }

    /// The value as `0.<digits> x 10^point` with no zeros at either end of `digits` (empty for zero).
    private var scientific: (digits: [UInt8], point: Int) {
        if exponent != 0 { return (Array(fractionDigits.utf8), exponent) }
        let all = Array((integerDigits == "0" ? "" : integerDigits).utf8) + Array(fractionDigits.utf8)
        let significant = all.drop { $0 == 0x30 }
        let point = (integerDigits == "0" ? 0 : integerDigits.utf8.count) - (all.count - significant.count)
        return (Array(significant.reversed().drop { $0 == 0x30 }.reversed()), point)
    }

    /// Numeric order, exact at any size, scaled numbers included.
    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        if lhs.isNegative != rhs.isNegative { return lhs.isNegative }
        let magnitudeLess = compareMagnitude(lhs, rhs)
        return lhs.isNegative ? magnitudeLess == .orderedDescending : magnitudeLess == .orderedAscending
    }

    private enum Ordering { case orderedAscending, orderedSame, orderedDescending }

    private static func compareMagnitude(_ a: ExactDecimal, _ b: ExactDecimal) -> Ordering {
        if a.exponent != 0 || b.exponent != 0 { return compareScientific(a.scientific, b.scientific) }
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

    /// Magnitudes in scientific form: zero first, then by the point, then digit by digit.
    private static func compareScientific(_ a: (digits: [UInt8], point: Int), _ b: (digits: [UInt8], point: Int))
        -> Ordering
    {
        if a.digits.isEmpty || b.digits.isEmpty {
            if a.digits.isEmpty && b.digits.isEmpty { return .orderedSame }
            return a.digits.isEmpty ? .orderedAscending : .orderedDescending
        }
        if a.point != b.point { return a.point < b.point ? .orderedAscending : .orderedDescending }
        for i in 0..<max(a.digits.count, b.digits.count) {
            let da = i < a.digits.count ? a.digits[i] : 0x30, db = i < b.digits.count ? b.digits[i] : 0x30
            if da != db { return da < db ? .orderedAscending : .orderedDescending }
        }
        return .orderedSame
    }
}
