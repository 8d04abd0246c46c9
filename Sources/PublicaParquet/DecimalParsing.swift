import PublicaCore

/// Reads a decimal's text (`-12.50`, `.5`, `1e3`) as a DECIMAL(38, scale)'s unscaled value.
enum DecimalParsing {
    /// What a text gives at a scale.
    enum Outcome {
        case value(Decimal128)
        /// Not a number.
        case invalid
        /// Digits after the point past the scale that are not zeros (the text's own scale).
        case finerThanScale(Int)
        /// More than 38 digits at this scale.
        case tooLong
    }

    /// The digits of a text, leading zeros dropped, and the scale they are written at.
    private struct Digits {
        var count: Int
        var scale: Int
        var negative: Bool
    }

    /// The scale `bytes` is written at (digits after the point less the exponent, at least 0),
    /// and how many digits it has before the point; nil if it is not a number.
    static func shape(_ bytes: UnsafeBufferPointer<UInt8>) -> (scale: Int, integerDigits: Int)? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count + 1) { buffer in
            guard let digits = read(bytes, into: buffer.baseAddress!) else { return nil }
            return (max(0, digits.scale), max(0, digits.count - digits.scale))
        }
    }

    /// The unscaled value of `bytes` at `scale`.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, scale: Int) -> Outcome {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count + 1) { buffer in
            guard var digits = read(bytes, into: buffer.baseAddress!) else { return .invalid }
            let written = digits.scale
            // Zeros past the scale say nothing: `1.50` at scale 1 is 15.
            while digits.scale > scale && digits.count > 0 && buffer[digits.count - 1] == 0 {
                digits.count -= 1
                digits.scale -= 1
            }
            if digits.count == 0 { return .value(.zero) }
            guard digits.scale <= scale else { return .finerThanScale(written) }
            let zeros = scale - digits.scale
            guard digits.count + zeros <= 38 else { return .tooLong }
            return .value(
                Decimal128(
                    digits: UnsafeBufferPointer(start: buffer.baseAddress!, count: digits.count), zeros: zeros,
                    negative: digits.negative))
        }
    }

    /// The significant digits of `bytes` into `digits` (room for `bytes.count`).
    private static func read(_ bytes: UnsafeBufferPointer<UInt8>, into digits: UnsafeMutablePointer<UInt8>)
        -> Digits?
    {
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative || bytes.first == UInt8(ascii: "+") { index = 1 }
        var count = 0
        var fraction = 0
        var sawDigit = false
        var sawPoint = false
        var exponent = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 {
                sawDigit = true
                if count > 0 || byte != 0x30 {
                    digits[count] = byte - 0x30
                    count += 1
                }
                if sawPoint { fraction += 1 }
            } else if byte == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else if (byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")) && sawDigit {
                guard let power = DecimalDigits.int64(UnsafeBufferPointer(rebasing: bytes[(index + 1)...])),
                    abs(power) <= 100
                else { return nil }
                exponent = Int(power)
                break
            } else {
                return nil
            }
            index += 1
        }
        guard sawDigit else { return nil }
        return Digits(count: count, scale: fraction - exponent, negative: negative)
    }
}
