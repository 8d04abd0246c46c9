/// Typed values written in the canonical form they print (decimal text is rewritten by
/// ``NumberShape``): integers as `Int64` prints them, booleans as `true`/`false`.
enum CanonicalNumber {
    /// The most bytes a typed form of a `count`-byte cell takes: a number grows by at most two
    /// (`.5` becomes `0.5`), a boolean can become `false` (five bytes) from one (`0`, `N`).
    static func bound(_ count: Int) -> Int { max(count &+ 2, 5) }

    /// Writes an integer's decimal digits (its canonical text); returns the count (at most 20).
    static func write(_ value: Int64, into destination: UnsafeMutablePointer<UInt8>) -> Int {
        var magnitude = value.magnitude
        var digits = 0
        repeat {
            digits &+= 1
            magnitude /= 10
        } while magnitude > 0
        let sign = value < 0 ? 1 : 0
        if sign == 1 { destination[0] = 0x2D }
        magnitude = value.magnitude
        var cursor = destination + sign + digits
        repeat {
            cursor -= 1
            cursor[0] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
            magnitude /= 10
        } while magnitude > 0
        return sign + digits
    }

    /// Writes `true` or `false`; returns the count.
    static func boolean(_ value: Bool, into destination: UnsafeMutablePointer<UInt8>) -> Int {
        let text: StaticString = value ? "true" : "false"
        destination.update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        return text.utf8CodeUnitCount
    }
}
