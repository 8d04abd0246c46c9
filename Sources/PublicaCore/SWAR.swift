/// Eight-bytes-at-a-time byte tests ("SIMD within a register").
///
/// Each returns a mask with bit 7 of every matching byte set. Bits above the lowest match
/// may be false positives (borrows propagate upwards), so only the lowest set bit is exact:
/// callers use `trailingZeroBitCount >> 3` and then look at that byte.
public enum SWAR {
    public static let ones: UInt64 = 0x0101_0101_0101_0101
    public static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Bytes equal to `byte`.
    @inlinable @inline(__always)
    public static func equal(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highBits
    }

    /// Bytes below 0x20 (control characters).
    @inlinable @inline(__always)
    public static func lessThan0x20(_ word: UInt64) -> UInt64 {
        (word &- (ones &* 0x20)) & ~word & highBits
    }

    /// Bytes with the high bit set (non-ASCII).
    @inlinable @inline(__always)
    public static func nonASCII(_ word: UInt64) -> UInt64 { word & highBits }

    /// Copies bytes from `source + index` to `output` eight at a time, storing each word before
    /// looking at it, while none is special (`special` returns a mask as the tests above do) and
    /// `output` is below `limit`. Stops with `index` and `output` at the first special byte, or
    /// with fewer than eight bytes left before `end`, or at the limit; up to eight bytes past
    /// `output` may have been written.
    @inlinable @inline(__always)
    public static func copyPlain(
        _ source: UnsafePointer<UInt8>, _ index: inout Int, end: Int,
        to output: inout UnsafeMutablePointer<UInt8>, limit: UnsafeMutablePointer<UInt8>,
        special: (UInt64) -> UInt64
    ) {
        while index &+ 8 <= end && output < limit {
            let word = UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)
            UnsafeMutableRawPointer(output).storeBytes(of: word, as: UInt64.self)
            let mask = special(word)
            if mask != 0 {
                let offset = mask.trailingZeroBitCount &>> 3
                index &+= offset
                output += offset
                return
            }
            index &+= 8
            output += 8
        }
    }
}
