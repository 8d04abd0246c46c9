import PublicaCore

/// An exact running sum of decimals, of any size: its digits and scale, never a binary float,
/// so `0.1 + 0.2` is `0.3`. `aggregate`'s `sum` and `mean` add with it.
struct ExactSum: Sendable, Hashable {
    private var negative = false
    /// The magnitude's decimal digits, least significant first, without leading zeros.
    private var digits: [UInt8] = []
    /// Digits after the point: the largest scale added so far.
    private(set) var scale = 0

    init() {}

    /// The sum of nothing but `number`; nil for a number kept scaled (`1e9999`), which is too
    /// large or small to add digit by digit.
    init?(_ number: ExactDecimal) {
        guard number.exponent == 0 else { return nil }
        negative = number.isNegative
        digits = (number.integerDigits + number.fractionDigits).utf8.reversed().map { $0 - 0x30 }
        scale = number.fractionDigits.utf8.count
        trim()
    }

    /// Adds `other` exactly.
    mutating func add(_ other: ExactSum) {
        var other = other
        if other.scale > scale { rescale(to: other.scale) } else { other.rescale(to: scale) }
        if negative == other.negative {
            digits = ExactSum.add(digits, other.digits)
        } else if ExactSum.less(digits, other.digits) {
            digits = ExactSum.subtract(other.digits, digits)
            negative = other.negative
        } else {
            digits = ExactSum.subtract(digits, other.digits)
        }
        trim()
    }

    /// The sum as a decimal.
    var decimal: ExactDecimal { ExactSum.decimal(negative: negative, digits: digits, scale: scale) }

    /// The sum divided by `count` at `extra` more digits than its scale, rounded half away from zero.
    func divided(by count: Int, extraDigits extra: Int) -> ExactDecimal {
        var quotient: [UInt8] = []
        var remainder = 0
        // Most significant first, with `extra` zeros appended (times 10^extra).
        for digit in digits.reversed() + [UInt8](repeating: 0, count: extra) {
            remainder = remainder * 10 + Int(digit)
            quotient.append(UInt8(remainder / count))
            remainder %= count
        }
        var result = Array(quotient.reversed())
        if remainder * 2 >= count { result = ExactSum.add(result, [1]) }
        return ExactSum.decimal(negative: negative, digits: result, scale: scale + extra)
    }

    /// Keeps at least `newScale` digits after the point (for a mean's scale), the value unchanged.
    mutating func keepScale(atLeast newScale: Int) { rescale(to: newScale) }

    private mutating func rescale(to newScale: Int) {
        guard newScale > scale, !digits.isEmpty else {
            scale = max(scale, newScale)
            return
        }
        digits = [UInt8](repeating: 0, count: newScale - scale) + digits
        scale = newScale
    }

    private mutating func trim() {
        while digits.last == 0 { digits.removeLast() }
        if digits.isEmpty { negative = false }
    }

    private static func decimal(negative: Bool, digits: [UInt8], scale: Int) -> ExactDecimal {
        var text = String(decoding: digits.reversed().map { $0 + 0x30 }, as: UTF8.self)
        if text.utf8.count <= scale { text = String(repeating: "0", count: scale - text.utf8.count + 1) + text }
        let point = text.index(text.endIndex, offsetBy: -scale)
        return ExactDecimal((negative ? "-" : "") + text[..<point] + "." + text[point...] + "0")!
    }

    private static func add(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(max(a.count, b.count) + 1)
        var carry: UInt8 = 0
        for index in 0..<max(a.count, b.count) {
            let sum = (index < a.count ? a[index] : 0) + (index < b.count ? b[index] : 0) + carry
            result.append(sum % 10)
            carry = sum / 10
        }
        if carry > 0 { result.append(carry) }
        return result
    }

    /// `a - b`, for `a` at least `b`.
    private static func subtract(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var borrow = 0
        for index in a.indices {
            var digit = Int(a[index]) - (index < b.count ? Int(b[index]) : 0) - borrow
            borrow = digit < 0 ? 1 : 0
            if digit < 0 { digit += 10 }
            result.append(UInt8(digit))
        }
        while result.last == 0 { result.removeLast() }
        return result
    }

    private static func less(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        if a.count != b.count { return a.count < b.count }
        for index in a.indices.reversed() where a[index] != b[index] { return a[index] < b[index] }
        return false
    }
}
