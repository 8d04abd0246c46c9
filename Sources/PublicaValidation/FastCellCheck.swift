import PublicaCore

/// Checks a cell straight from its bytes, for the cases that make up nearly every valid table:
/// plain integers and decimals (with a group character), booleans, ISO dates and strings with
/// length, enum and pattern constraints. It answers only "certainly valid"; anything else (an
/// error, or a case it does not know) goes to the full check, which then words the error.
/// So the fast path changes speed, never results.
final class FastCellCheck {
    private enum Kind { case string, integer, number, boolean, isoDate }

    private let kind: Kind
    private let required: Bool
    private let missing: [[UInt8]]
    /// The usual missing values, `[""]` or none, decided without a loop.
    private let missingIncludesEmpty: Bool
    private let missingOnlyEmpty: Bool
    private let minLength: Int?
    private let maxLength: Int?
    private let allowed: ByteStringSet?
    private let pattern: Pattern?
    private let group: UInt8?
    private let trueValues: [[UInt8]]
    private let falseValues: [[UInt8]]
    private let minimum: Bound?
    private let maximum: Bound?
    private let integerBounds: (low: Int64, high: Int64)?

    /// A numeric bound as digits, ready for byte comparison.
    struct Bound {
        let negative: Bool
        let integer: [UInt8]
        let fraction: [UInt8]

        init(_ value: ExactDecimal) {
            negative = value.isNegative
            integer = value.integerDigits == "0" ? [] : Array(value.integerDigits.utf8)
            fraction = Array(value.fractionDigits.utf8)
        }
    }
    /// The field's values must be remembered for `unique`.
    let unique: Bool
    /// False for a string field without constraints: any text is valid, the bytes need no reading.
    let needsContent: Bool

    /// A checker for `field`, or nil when the field needs the full check every time.
    init?(_ field: SchemaField) {
        let constraints = field.constraints
        guard constraints.exclusiveMinimum == nil, constraints.exclusiveMaximum == nil else { return nil }
        switch field.type {
        case .string where field.format == "default": kind = .string
        case .integer where field.bareNumber: kind = .integer
        case .number where field.bareNumber && field.decimalChar == ".": kind = .number
        case .boolean: kind = .boolean
        case .date where field.format == "default" || field.format == "any": kind = .isoDate
        default: return nil
        }
        if kind != .string && kind != .integer && constraints.unique { return nil }
        if (kind == .boolean || kind == .isoDate) && (constraints.minimum != nil || constraints.maximum != nil) {
            return nil
        }
        func bound(_ value: FieldValue?) -> ExactDecimal?? {
            switch value {
            case nil: return .some(nil)
            case .integer(let number)?: return .some(ExactDecimal(number))
            // A bound too large or small to expand (stored scaled) is left to the full check.
            case .decimal(let number)? where number.exponent == 0: return .some(number)
            default: return nil
            }
        }
        guard let minimum = bound(constraints.minimum), let maximum = bound(constraints.maximum) else { return nil }
        if kind == .string && (constraints.minimum != nil || constraints.maximum != nil) { return nil }
        if let allowed = constraints.allowed {
            guard kind == .string else { return nil }
            self.allowed = ByteStringSet(allowed.compactMap { $0.string.map { Array($0.utf8) } })
        } else {
            self.allowed = nil
        }
        // The full check removes every group character; read here as a point, sign or digit it
        // would change the value, so such a field always takes the full check.
        if let groupChar = field.groupChar {
            guard groupChar.utf8.count == 1, let byte = groupChar.utf8.first,
                byte != 0x2E, byte != 0x2B, byte != 0x2D, !(0x30...0x39).contains(byte)
            else { return nil }
        }
        self.minimum = minimum.map(Bound.init)
        self.maximum = maximum.map(Bound.init)
        // Whole bounds of an integer field are compared as integers, not digit by digit.
        let low = minimum.map(\.int64Value), high = maximum.map(\.int64Value)
        if kind == .integer, low != .some(nil), high != .some(nil) {
            integerBounds = ((low ?? nil) ?? .min, (high ?? nil) ?? .max)
        } else {
            integerBounds = nil
        }
        required = constraints.required
        unique = constraints.unique
        missing = field.missingValues.map { Array($0.utf8) }
        missingIncludesEmpty = field.missingValues.contains("")
        missingOnlyEmpty = field.missingValues.allSatisfy(\.isEmpty)
        minLength = constraints.minLength
        maxLength = constraints.maxLength
        pattern = constraints.pattern
        group = field.groupChar?.utf8.first
        trueValues = field.trueValues.map { Array($0.utf8) }
        falseValues = field.falseValues.map { Array($0.utf8) }
        needsContent =
            !(kind == .string && constraints.minLength == nil && constraints.maxLength == nil
            && constraints.allowed == nil && constraints.pattern == nil && !constraints.unique && !constraints.required)
    }

    /// True when the cell is certainly valid; `key` gets the text `unique` compares.
    func isValid(_ bytes: UnsafeBufferPointer<UInt8>, key: inout UniqueKey?) -> Bool {
        if bytes.isEmpty ? missingIncludesEmpty : (!missingOnlyEmpty && missing.contains(where: { $0.equals(bytes) })) {
            return !required
        }
        switch kind {
        case .string:
            if minLength != nil || maxLength != nil {
                let length = bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
                if let minLength, length < minLength { return false }
                if let maxLength, length > maxLength { return false }
            }
            if allowed?.contains(bytes) == false { return false }
            // Optional chaining matches in place; `if let` would copy the pattern for every cell.
            if pattern?.matches(utf8: bytes) == false { return false }
            if unique { key = .text(bytes) }
            return true
        case .integer:
            guard let (value, _) = FastCellCheck.integer(bytes, group: group) else { return false }
            return isValidInteger(value, bytes, key: &key)
        case .number:
            guard let shape = NumberShape(bytes, group: group) else { return false }
            return isWithinBounds(shape)
        case .boolean:
            return trueValues.contains { $0.equals(bytes) } || falseValues.contains { $0.equals(bytes) }
        case .isoDate:
            guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return false }
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for index in range {
                    let digit = Int(bytes[index]) &- 0x30
                    guard digit >= 0 && digit <= 9 else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return false }
            return DateValue(year: year, month: month, day: day) != nil
        }
    }

    /// Checks a cell and gives it its typed form (as ``type(_:scratch:)`` does) in one reading
    /// of its bytes; false, with the field untouched, when it is not certainly valid. The cell
    /// holds no doubled quotes (the row check sends those to the full check).
    func cast(
        _ field: inout RawRecord.Field, scratch: inout UnsafeMutablePointer<UInt8>, key: inout UniqueKey?
    ) -> Bool {
        let bytes = UnsafeBufferPointer(start: field.start, count: field.count)
        if bytes.isEmpty ? missingIncludesEmpty : (!missingOnlyEmpty && missing.contains(where: { $0.equals(bytes) })) {
            guard !required else { return false }
            field = .null
            return true
        }
        switch kind {
        case .integer:
            guard let (value, canonical) = FastCellCheck.integer(bytes, group: group),
                isValidInteger(value, bytes, key: &key)
            else { return false }
            if canonical {
                field.encoding = .integer
                return true
            }
            field = RawRecord.Field(
                start: scratch, count: CanonicalNumber.write(value, into: scratch), encoding: .integer)
        case .number:
            guard let shape = NumberShape(bytes, group: group), isWithinBounds(shape) else { return false }
            if shape.isCanonical {
                field.encoding = .decimal
                return true
            }
            field = RawRecord.Field(start: scratch, count: shape.write(into: scratch), encoding: .decimal)
        case .string, .boolean, .isoDate:
            guard isValid(bytes, key: &key) else { return false }
            type(&field, scratch: &scratch)
            return true
        }
        scratch += field.count
        return true
    }

    /// The bounds and `unique` of an integer field, for its value read from `bytes`.
    private func isValidInteger(_ value: Int64, _ bytes: UnsafeBufferPointer<UInt8>, key: inout UniqueKey?) -> Bool {
        if unique { key = .integer(value) }
        if let integerBounds { return value >= integerBounds.low && value <= integerBounds.high }
        guard minimum != nil || maximum != nil else { return true }
        return NumberShape(bytes, group: group).map(isWithinBounds) ?? false
    }

    /// True when a cell is one of the field's missing values (a doubled-quote cell never is:
    /// it holds a quote, and a missing value with a quote sends the cell to the full check).
    func isMissingValue(_ field: RawRecord.Field) -> Bool {
        field.count == 0
            ? missingIncludesEmpty
            : !missingOnlyEmpty
                && missing.contains { $0.equals(UnsafeBufferPointer(start: field.start, count: field.count)) }
    }

    /// Whether a doubled-quote cell can be typed here; the full check reads the others.
    var typesDoubledQuotes: Bool { kind == .string && !missing.contains { $0.contains(0x22) } }

    /// Gives a string, boolean or date cell that ``isValid(_:key:)`` passed (or that needs no
    /// content check) its typed form, as the full check's value would render: null for a missing
    /// value, `true`/`false` (written at `scratch`, which moves past them), ISO dates; strings as
    /// they are. Numbers are typed by ``cast(_:scratch:key:)``.
    func type(_ field: inout RawRecord.Field, scratch: inout UnsafeMutablePointer<UInt8>) {
        if isMissingValue(field) {
            field = .null
            return
        }
        let bytes = UnsafeBufferPointer(start: field.start, count: field.count)
        switch kind {
        case .string:
            return
        case .integer, .number:
            // A number field always needs its content read: it is typed by `cast`, in the same reading.
            preconditionFailure("numbers are typed by cast(_:scratch:key:)")
        case .boolean:
            let value = trueValues.contains { $0.equals(bytes) }
            field = RawRecord.Field(
                start: scratch, count: CanonicalNumber.boolean(value, into: scratch), encoding: .boolean)
        case .isoDate:
            field.encoding = .date
            return
        }
        scratch += field.count
    }

    private func isWithinBounds(_ shape: NumberShape) -> Bool {
        if let minimum, shape.compare(minimum) < 0 { return false }
        if let maximum, shape.compare(maximum) > 0 { return false }
        return true
    }

    /// A plain integer (optional sign, digits, group characters between digits) that fits 64 bits,
    /// and whether its text is canonical (no `+`, group characters or leading zeros; not `-0`).
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>, group: UInt8?) -> (Int64, canonical: Bool)? {
        var index = 0
        var negative = false
        var canonical = true
        if let first = bytes.first, first == 0x2D || first == 0x2B {
            negative = first == 0x2D
            canonical = negative
            index = 1
        }
        guard index < bytes.count else { return nil }
        if bytes[index] == 0x30 && index &+ 1 < bytes.count { canonical = false }
        var value: Int64 = 0
        var digits = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 {
                let (product, overflow) = value.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                value = product &+ Int64(byte &- 0x30)
                guard value >= 0 else { return nil }
                digits += 1
            } else if byte != group || digits == 0 || index + 1 == bytes.count {
                return nil
            } else {
                canonical = false
            }
            index += 1
        }
        if negative && value == 0 { canonical = false }
        return (negative ? -value : value, canonical)
    }
}
