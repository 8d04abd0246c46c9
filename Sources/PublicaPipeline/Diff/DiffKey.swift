#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A diff's sort key: the key fields' UTF-8 bytes, each with `00` escaped as `00 FF` and ended by
/// `00 00`, then a side byte (``oldSide`` or ``newSide``).
///
/// The parts are prefix-free, so `a`+`bc` and `ab`+`c` differ and no key is a prefix of another;
/// a key's two sides therefore sort next to each other, the old one first, and keys sort in the
/// byte order of their texts (so the differences come out in key order). Null is empty text.
enum DiffKey {
    /// The side byte of a row of the old table.
    static let oldSide: UInt8 = 0
    /// The side byte of a row of the new table.
    static let newSide: UInt8 = 1

    /// Appends one key field's bytes.
    static func appendPart(_ text: UnsafeBufferPointer<UInt8>, to key: inout [UInt8]) {
        if !text.contains(0) {
            key.append(contentsOf: text)
        } else {
            for byte in text {
                key.append(byte)
                if byte == 0 { key.append(0xFF) }
            }
        }
        key.append(0)
        key.append(0)
    }

    /// Whether two keys, side bytes left out, are the same key.
    static func sameKey(_ key: UnsafeRawBufferPointer, _ other: [UInt8]) -> Bool {
        guard key.count - 1 == other.count - 1 else { return false }
        return other.withUnsafeBytes { other in
            memcmp(key.baseAddress!, other.baseAddress!, key.count - 1) == 0
        }
    }
}
