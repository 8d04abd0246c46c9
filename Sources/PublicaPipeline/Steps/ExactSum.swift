import PublicaCore

/// An exact running sum of decimals, of any size: its digits and scale, never a binary float,
/// so `0.1 + 0.2` is `0.3`. `aggregate`'s `sum` and `mean` add with it.
///
/// The sum is a 64-bit count of units of the scale (``small``) while it fits, which costs no
/// allocation per addition; past that, the rest goes into decimal digits of any length.
struct ExactSum: Sendable, Equatable {
    private var negative = false
    /// The magnitude's decimal digits, least significant first, without leading zeros.
    private var digits: [UInt8] = []
    /// Digits after the point: the largest scale added so far.
    private(set) var scale = 0
    /// Units of 10^-scale added on top of the digits, while they fit in 64 bits.
    private var small: Int64 = 0

    init() {}

    /// The sum of nothing but `number`; nil for a number kept scaled (`1e9999`), which is too
    /// large or small to add digit by digit.
    init?(_ number: ExactDecimal) {
        guard number.exponent == 0 else { return nil }
        scale = number.fractionDigits.utf8.count
        let all = number.integerDigits.utf8.count + scale
        if all <= 18 {
            small = (number.integerDigits + number.fractionDigits).utf8.reduce(0) { $0 * 10 + Int64($1 - 0x30) }
            if number.isNegative { small = -small }
            return
        }
        negative = number.isNegative
        digits = (number.integerDigits + number.fractionDigits).utf8.reversed().map { $0 - 0x30 }
        trim()
    }

    /// `-?digits(.digits)?` of at most 18 digits, as a sum; nil for any other text (which the
    /// caller reads as an ``ExactDecimal``).
    init?(plain text: UnsafeBufferPointer<UInt8>) {
        var index = text.startIndex
        let negative = index < text.endIndex && text[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var value: Int64 = 0
        var count = 0
        var fraction: Int?
        while index < text.endIndex {
            let byte = text[index]
            if byte == UInt8(ascii: "."), fraction == nil, count > 0 {
                fraction = 0
            } else if byte >= 0x30, byte <= 0x39, count < 18 {
                value = value * 10 + Int64(byte - 0x30)
                count += 1
                if fraction != nil { fraction! += 1 }
            } else {
                return nil
            }
            index += 1
        }
        guard count > 0, fraction != 0 else { return nil }
        // As an ExactDecimal keeps it: no trailing zeros after the point (a mean's scale follows).
        var places = fraction ?? 0
        while places > 0, value % 10 == 0 {
            value /= 10
            places -= 1
        }
        small = negative ? -value : value
        scale = places
    }

    /// Adds `other` exactly.
    mutating func add(_ other: ExactSum) {
        if other.scale > scale { rescale(to: other.scale) }
        var other = other
        if other.scale < scale { other.rescale(to: scale) }
        let (sum, overflow) = small.addingReportingOverflow(other.small)
        if overflow {
            flush()
            other.flush()
        } else {
            small = sum
            other.small = 0
        }
        if !other.digits.isEmpty { addDigits(other) }
    }

    /// The small part moved into the digits.
    private mutating func flush() {
        guard small != 0 else { return }
        var part = ExactSum()
        part.negative = small < 0
        var rest = small.magnitude
        while rest > 0 {
            part.digits.append(UInt8(rest % 10))
            rest /= 10
        }
        part.scale = scale
        small = 0
        addDigits(part)
    }

    /// The sum with everything in its digits.
    private var flushed: ExactSum {
        var copy = self
        copy.flush()
        return copy
    }

    /// Adds `other`'s digits (at this same scale) to the digits.
    private mutating func addDigits(_ other: ExactSum) {
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

    /// Equal sums at the same scale, however their parts are split.
    static func == (a: ExactSum, b: ExactSum) -> Bool { a.scale == b.scale && a.decimal == b.decimal }

    /// The sum as a decimal.
    var decimal: ExactDecimal {
        let sum = flushed
        return ExactSum.decimal(negative: sum.negative, digits: sum.digits, scale: sum.scale)
    }

    /// The sum divided by `count` at `extra` more digits than its scale, rounded half away from zero.
    func divided(by count: Int, extraDigits extra: Int) -> ExactDecimal {
        guard small == 0 else { return flushed.divided(by: count, extraDigits: extra) }
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
        guard newScale > scale else { return }
        if small != 0 {
            var scaled = small
            for _ in scale..<newScale {
                let (next, overflow) = scaled.multipliedReportingOverflow(by: 10)
                if overflow {
                    flush()
                    break
                }
                scaled = next
            }
            if small != 0 { small = scaled }
        }
        if !digits.isEmpty { digits = [UInt8](repeating: 0, count: newScale - scale) + digits }
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
