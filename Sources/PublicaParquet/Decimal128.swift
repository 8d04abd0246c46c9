/// A decimal's unscaled value in 128 bits, two's complement: what Parquet's DECIMAL(38, s)
/// stores as 16 big-endian bytes. Written by hand since `Int128` needs macOS 15.
struct Decimal128: Comparable {
    var high: Int64
    var low: UInt64

    static let zero = Decimal128(high: 0, low: 0)

    /// The unscaled value spelt by `digits` (each 0–9) and `zeros` more zeros (at most 38 in
    /// all), negated when `negative`.
    init(digits: UnsafeBufferPointer<UInt8>, zeros: Int = 0, negative: Bool) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<(digits.count + zeros) {
            let digit = index < digits.count ? digits[index] : 0
            // (high, low) * 10 + digit; at most 38 digits never overflow 127 bits.
            let lowProduct = low.multipliedFullWidth(by: 10)
            let (newLow, carry) = lowProduct.low.addingReportingOverflow(UInt64(digit))
            high = high &* 10 &+ lowProduct.high &+ (carry ? 1 : 0)
            low = newLow
        }
        if negative {
            // Two's complement: invert and add one.
            let (plusOne, carry) = (~low).addingReportingOverflow(1)
            low = plusOne
            high = ~high &+ (carry ? 1 : 0)
        }
        self.high = Int64(bitPattern: high)
        self.low = low
    }

    init(high: Int64, low: UInt64) {
        self.high = high
        self.low = low
    }

    static func < (lhs: Decimal128, rhs: Decimal128) -> Bool {
        lhs.high != rhs.high ? lhs.high < rhs.high : lhs.low < rhs.low
    }

    /// The 16 big-endian bytes Parquet stores.
    func append(to buffer: inout ByteBuffer) {
        buffer.appendLittleEndian(UInt64(bitPattern: high).byteSwapped)
        buffer.appendLittleEndian(low.byteSwapped)
    }

    /// The same bytes as an array (statistics).
    var bytes: [UInt8] {
        var buffer = ByteBuffer(capacity: 16)
        append(to: &buffer)
        return Array(buffer.bytes)
    }
}
