import PublicaCore

/// A record's sort key as bytes whose `memcmp` order is the step's order: ``ValueOrder`` per
/// field, descending fields reversed, missing values last in either direction. Sorting and
/// merging then compare bytes, never values, so held records need no `Record` at all.
///
/// Each field is a marker (`0` present, `1` missing: missing sorts last and is never
/// reversed) and, when present, its value's encoding, complemented when descending. The value
/// encodings are prefix-free, so complementing one reverses its order and fields concatenate:
/// a kind byte (numbers, booleans, dates, date-times, text, lists, objects, as ValueOrder
/// ranks them), then numbers as sign, power of ten and significant digits (`1.50` and `1.5`,
/// `2` and `2.0` the same bytes); dates as year, month, day (a coarser date first); date-times
/// as UTC minutes, second and fraction digits; text as its UTF-8 bytes with `00` escaped as
/// `00 FF` and ended by `00 00`.
struct SortKey {
    /// The key so far.
    var bytes: [UInt8] = []
    /// Where the current field's value starts, for complementing it.
    private var valueStart = 0

    private enum Kind: UInt8 { case number, boolean, date, dateTime, text, list, object }

    /// Empties the key, keeping its storage.
    mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    /// Appends one field's value.
    mutating func append(_ value: FieldValue, descending: Bool) {
        guard !ValueOrder.isMissing(value) else { return bytes.append(1) }
        begin()
        switch value {
        case .null: break
        case .text(let text): appendText(text)
        case .integer(let number): appendInteger(number)
        case .decimal(let number):
            if number.exponent == 0 {
                appendNumber(
                    negative: number.isNegative, integer: Array(number.integerDigits.utf8),
                    fraction: Array(number.fractionDigits.utf8))
            } else {
                appendScaled(
                    negative: number.isNegative, digits: Array(number.fractionDigits.utf8), point: number.exponent)
            }
        case .boolean(let flag): bytes += [Kind.boolean.rawValue, flag ? 1 : 0]
        case .date(let date): appendDate(date)
        case .dateTime(let time): appendDateTime(time)
        case .list: appendOther(.list, value)
        case .object: appendOther(.object, value)
        }
        end(descending)
    }

    /// Appends one field read from a reader's bytes (plain or quoted text, null, or a `cast`'s
    /// canonical typed text); the same bytes as ``append(_:descending:)`` for its value.
    mutating func append(raw field: RawRecord.Field, descending: Bool) {
        guard field.encoding != .null, field.count > 0 else { return bytes.append(1) }
        let value = UnsafeBufferPointer(start: field.start, count: field.count)
        // A number written with an exponent (a JSON lookup's `1e3`) and a date go through their
        // value, which reads them as the record path does.
        if field.encoding == .date || (field.encoding == .decimal && !SortKey.isPlainNumber(value)) {
            return append(field.value, descending: descending)
        }
        begin()
        switch field.encoding {
        case .null: break
        case .plain: appendText(value)
        case .doubledQuotes: appendText(Array(field.stringValue.utf8))
        case .integer, .decimal:
            let negative = value[0] == UInt8(ascii: "-")
            let digits = negative ? UnsafeBufferPointer(rebasing: value.dropFirst()) : value
            let point = digits.firstIndex(of: UInt8(ascii: ".")) ?? digits.endIndex
            appendNumber(
                negative: negative, integer: UnsafeBufferPointer(rebasing: digits[..<point]),
                fraction: UnsafeBufferPointer(rebasing: digits[min(point + 1, digits.endIndex)...]))
        case .boolean: bytes += [Kind.boolean.rawValue, field.count == 4 ? 1 : 0]
        case .date: break
        }
        end(descending)
    }

    /// `-?digits(.digits)?`: what a `cast` writes for a decimal.
    private static func isPlainNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var points = 0
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: ".") {
                points += 1
            } else if !(byte >= 0x30 && byte <= 0x39) && !(index == 0 && byte == UInt8(ascii: "-")) {
                return false
            }
        }
        return points <= 1
    }

    private mutating func begin() {
        bytes.append(0)
        valueStart = bytes.count
    }

    private mutating func end(_ descending: Bool) {
        guard descending else { return }
        for index in valueStart..<bytes.count { bytes[index] = ~bytes[index] }
    }

    private mutating func appendText(_ text: String) {
        var text = text
        text.withUTF8 { appendText($0) }
    }

    private mutating func appendText<Bytes: Collection<UInt8>>(_ text: Bytes) {
        bytes.append(Kind.text.rawValue)
        appendEscaped(text)
    }

    private mutating func appendEscaped<Bytes: Collection<UInt8>>(_ text: Bytes) {
        if !text.contains(0) {
            bytes.append(contentsOf: text)
        } else {
            for byte in text { bytes += byte == 0 ? [0, 0xFF] : [byte] }
        }
        bytes += [0, 0]
    }

    private mutating func appendInteger(_ number: Int64) {
        var digits: [UInt8] = []
        var rest = number.magnitude
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        appendNumber(negative: number < 0, integer: digits.reversed(), fraction: EmptyCollection())
    }

    /// `integer.fraction`, as digits: the value as `0.<significant digits> x 10^point`.
    private mutating func appendNumber<A: Collection<UInt8>, B: Collection<UInt8>>(
        negative: Bool, integer: A, fraction: B
    ) {
        let whole = integer.drop { $0 == UInt8(ascii: "0") }
        var digits = Array(whole) + Array(fraction)
        let leading = whole.isEmpty ? digits.prefix { $0 == UInt8(ascii: "0") }.count : 0
        digits.removeFirst(leading)
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        appendScaled(negative: negative, digits: digits, point: whole.count - leading)
    }

    /// `0.<digits> x 10^point` with no zeros at either end of `digits` (none for zero): sign
    /// (`1` negative, `2` zero, `3` positive), then, complemented for a negative number (a
    /// larger magnitude goes first), the point and the digits ended by `00`.
    private mutating func appendScaled(negative: Bool, digits: [UInt8], point: Int) {
        bytes.append(Kind.number.rawValue)
        guard !digits.isEmpty else { return bytes.append(2) }
        bytes.append(negative ? 1 : 3)
        let start = bytes.count
        appendOrdered(Int64(point))
        bytes += digits
        bytes.append(0)
        if negative { for index in start..<bytes.count { bytes[index] = ~bytes[index] } }
    }

    /// A signed number in eight bytes whose byte order is its numeric order.
    private mutating func appendOrdered(_ number: Int64) {
        bytes.appendBigEndian(UInt64(bitPattern: number) ^ (1 << 63))
    }

    private mutating func appendDate(_ date: DateValue) {
        bytes += [Kind.date.rawValue, UInt8(date.year >> 8), UInt8(date.year & 0xFF)]
        bytes += [UInt8(date.month ?? 0), UInt8(date.day ?? 0)]
    }

    /// UTC minutes (a local time as if UTC), second, then the fraction's digits without trailing
    /// zeros (`25` and `250` the same), ended by `00`.
    private mutating func appendDateTime(_ time: DateTimeValue) {
        bytes.append(Kind.dateTime.rawValue)
        appendOrdered(Int64(ValueOrder.minutes(time)))
        bytes.append(UInt8(time.second))
        var fraction = Array(time.fraction.utf8)
        while fraction.last == UInt8(ascii: "0") { fraction.removeLast() }
        bytes += fraction
        bytes.append(0)
    }

    /// Lists and objects, which ValueOrder orders by their text.
    private mutating func appendOther(_ kind: Kind, _ value: FieldValue) {
        bytes.append(kind.rawValue)
        appendEscaped(Array((value.textValue ?? "").utf8))
    }
}

extension [UInt8] {
    /// `number`'s eight bytes, most significant first, so byte order is numeric order.
    mutating func appendBigEndian(_ number: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { append(UInt8(truncatingIfNeeded: number >> shift)) }
    }
}
