/// Plain decimal text read once: whether it is valid, where its significant digits are, and
/// whether it is canonical already. A bound check and the canonical rewrite then work from
/// this reading instead of scanning the bytes again.
///
/// Valid text is an optional sign, digits with group characters after the first digit, and an
/// optional `.` followed by at least one digit (`.5`, `1,234.50`, `-007`).
struct NumberShape {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let group: UInt8?
    /// A `-` sign.
    let negative: Bool
    /// The first significant integer digit (after the sign, leading zeros and group characters).
    private let integerStart: Int
    /// The `.`, or the end of the text.
    private let point: Int
    /// Significant integer digits, group characters not counted.
    private let significant: Int
    /// The end of the fraction without its trailing zeros.
    private let fractionEnd: Int
    /// True when the text is its own canonical form (``write(into:)`` would copy it unchanged).
    let isCanonical: Bool

    /// The longest text read here: an `ExactDecimal` keeps a value past 64 digits scaled
    /// (`1e65`), so longer text goes to the full check, which prints it that way.
    static let maximumLength = 60

    /// Reads `bytes`; nil when they are not plain decimal text, or longer than ``maximumLength``.
    init?(_ bytes: UnsafeBufferPointer<UInt8>, group: UInt8?) {
        guard bytes.count <= NumberShape.maximumLength else { return nil }
        var index = 0
        var plus = false
        if let first = bytes.first, first == 0x2D || first == 0x2B {
            plus = first == 0x2B
            index = 1
        }
        var digits = 0, significant = 0, integerStart = -1
        var point = -1, fractionDigits = 0, lastNonZero = -1
        var grouped = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte &- 0x30 <= 9 {
                if point >= 0 {
                    fractionDigits &+= 1
                    if byte != 0x30 { lastNonZero = index }
                } else {
                    digits &+= 1
                    if integerStart >= 0 {
                        significant &+= 1
                    } else if byte != 0x30 {
                        integerStart = index
                        significant = 1
                    }
                }
            } else if byte == 0x2E && point < 0 {
                point = index
            } else if byte != group || point >= 0 || digits == 0 {
                return nil
            } else {
                grouped = true
            }
            index &+= 1
        }
        guard digits > 0 || fractionDigits > 0, point < 0 || fractionDigits > 0 else { return nil }
        self.bytes = bytes
        self.group = group
        negative = !plus && bytes[0] == 0x2D
        self.point = point < 0 ? bytes.count : point
        self.integerStart = integerStart < 0 ? self.point : integerStart
        self.significant = significant
        fractionEnd = lastNonZero < 0 ? self.point : lastNonZero &+ 1
        let isZero = significant == 0 && lastNonZero < 0
        isCanonical =
            !plus && !grouped && !(negative && isZero) && (significant == 0 ? digits == 1 : digits == significant)
            && (point < 0 || lastNonZero == bytes.count &- 1)
    }

    private var isZero: Bool { significant == 0 && fractionEnd <= point }

    /// The fraction's digits without trailing zeros.
    private var fractionCount: Int { max(0, fractionEnd &- point &- 1) }

    /// The value's order against `bound`: -1 below, 0 equal, 1 above.
    func compare(_ bound: FastCellCheck.Bound) -> Int {
        let negativeValue = negative && !isZero
        if negativeValue != bound.negative { return negativeValue ? -1 : 1 }
        var magnitude = 0
        if significant != bound.integer.count {
            magnitude = significant < bound.integer.count ? -1 : 1
        } else {
            var digit = 0
            var index = integerStart
            while index < point && magnitude == 0 {
                let byte = bytes[index]
                index &+= 1
                if byte == group { continue }
                if byte != bound.integer[digit] { magnitude = byte < bound.integer[digit] ? -1 : 1 }
                digit &+= 1
            }
            let count = max(fractionCount, bound.fraction.count)
            var offset = 0
            while offset < count && magnitude == 0 {
                let mine: UInt8 = offset < fractionCount ? bytes[point &+ 1 &+ offset] : 0x30
                let theirs: UInt8 = offset < bound.fraction.count ? bound.fraction[offset] : 0x30
                if mine != theirs { magnitude = mine < theirs ? -1 : 1 }
                offset &+= 1
            }
        }
        return negativeValue ? -magnitude : magnitude
    }

    /// Writes the canonical text (`+007` → `7`, `1,234,000` → `1234000`, `-0.50` → `-0.5`,
    /// `.5` → `0.5`, `-0` → `0`, as `Int64` and `ExactDecimal` print them); returns its length,
    /// at most ``CanonicalNumber/bound(_:)`` of the text's.
    func write(into destination: UnsafeMutablePointer<UInt8>) -> Int {
        var cursor = destination
        if negative && !isZero {
            cursor[0] = 0x2D
            cursor += 1
        }
        if significant == 0 {
            cursor[0] = 0x30
            cursor += 1
        } else {
            for index in integerStart..<point where bytes[index] != group {
                cursor[0] = bytes[index]
                cursor += 1
            }
        }
        let fraction = fractionCount
        if fraction > 0 {
            cursor[0] = 0x2E
            (cursor + 1).update(from: bytes.baseAddress! + point + 1, count: fraction)
            cursor += fraction + 1
        }
        return cursor - destination
    }
}
