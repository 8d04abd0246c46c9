#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a value's bytes look like, read without making a `String`: a number (to place it on a
/// histogram, so an approximate `Double` is enough), an ISO date, and byte order.
enum ByteShape {
    /// `-12`, `3.25`, `+0.5`: the value as a `Double`, and whether it is a whole number. Nil for
    /// anything else (exponents, thousands separators, units: the report shows those as text).
    static func number(_ bytes: UnsafeBufferPointer<UInt8>) -> (value: Double, isInteger: Bool)? {
        var index = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        var value = 0.0
        var digits = 0
        while index < bytes.count, bytes[index] &- 0x30 < 10 {
            value = value * 10 + Double(bytes[index] &- 0x30)
            digits += 1
            index += 1
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            var scale = 0.1
            while index < bytes.count, bytes[index] &- 0x30 < 10 {
                value += Double(bytes[index] &- 0x30) * scale
                scale /= 10
                digits += 1
                index += 1
            }
        }
        guard digits > 0, index == bytes.count else { return nil }
        return (negative ? -value : value, isInteger)
    }

    /// `YYYY-MM-DD`.
    static func isISODate(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
        return [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy { bytes[$0] &- 0x30 < 10 }
    }

    /// Whether `a` comes before `b` in byte order (UTF-8 byte order is code point order).
    static func less(_ a: UnsafeBufferPointer<UInt8>, _ b: [UInt8]) -> Bool {
        b.withUnsafeBufferPointer { less(a, $0) }
    }

    /// Whether `a` comes before `b` in byte order.
    static func less(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.withUnsafeBufferPointer { less($0, b) }
    }

    static func less(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let common = min(a.count, b.count)
        if common > 0 {
            let order = memcmp(a.baseAddress!, b.baseAddress!, common)
            if order != 0 { return order < 0 }
        }
        return a.count < b.count
    }
}
