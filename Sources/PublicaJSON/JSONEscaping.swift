import PublicaCore

/// Byte-level JSON string escaping, shared by every JSON writer.
///
/// Only `"`, `\` and bytes below 0x20 need escaping; multi-byte UTF-8 (Hangul, astral
/// characters) is copied through unchanged, which is valid JSON. The scan looks at eight
/// bytes at a time (SWAR) and stores them unconditionally, so plain text costs one load,
/// one store and a few arithmetic operations per eight bytes.
public enum JSONEscaping {
    /// The room escaping `count` input bytes may need: `\u00XX` for each, plus eight bytes the
    /// word-at-a-time stores may write past the end.
    @inlinable
    public static func worstCase(_ count: Int) -> Int { count &* 6 &+ 8 }

    /// Writes the escaped form of `count` bytes at `source` to `destination` and returns the
    /// number of bytes written. `destination` must have room for ``worstCase(_:)`` bytes.
    ///
    /// - Parameter doubledQuotes: the bytes come from inside CSV quotes, where `""` is one `"`.
    @inlinable
    public static func escape(
        _ source: UnsafePointer<UInt8>, count: Int, doubledQuotes: Bool,
        into destination: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var input = 0
        var output = destination
        let limit = destination + worstCase(count)  // never reached: the room is the worst case
        while true {
            SWAR.copyPlain(source, &input, end: count, to: &output, limit: limit) {
                SWAR.equal($0, 0x22) | SWAR.equal($0, 0x5C) | SWAR.lessThan0x20($0)
            }
            if input >= count { return output - destination }
            // Fewer than eight bytes left in a field of eight or more: load the last eight
            // (overlapping bytes already done) and shift the new ones down, rather than go byte by byte.
            let remaining = count &- input
            if remaining < 8 && count >= 8 {
                let word =
                    UnsafeRawPointer(source + (count &- 8)).loadUnaligned(as: UInt64.self)
                    &>> UInt64((8 &- remaining) &* 8)
                let valid: UInt64 = (1 &<< UInt64(remaining &* 8)) &- 1
                let mask =
                    (SWAR.equal(word, 0x22) | SWAR.equal(word, 0x5C) | SWAR.lessThan0x20(word)) & valid & SWAR.highBits
                if mask == 0 {
                    UnsafeMutableRawPointer(output).storeBytes(of: word, as: UInt64.self)
                    return output + remaining - destination
                }
            }
            let byte = source[input]
            switch byte {
            case 0x22:
                output[0] = 0x5C; output[1] = 0x22; output += 2
                input &+= doubledQuotes ? 2 : 1
            case 0x5C:
                output[0] = 0x5C; output[1] = 0x5C; output += 2
                input &+= 1
            case 0..<0x20:
                output += writeControl(byte, output)
                input &+= 1
            default:
                output[0] = byte; output += 1
                input &+= 1
            }
        }
    }

    /// Writes the escape for a control byte (below 0x20): `\n`, `\t`… or `\u00XX`; returns its length.
    @inlinable
    public static func writeControl(_ byte: UInt8, _ output: UnsafeMutablePointer<UInt8>) -> Int {
        output[0] = 0x5C
        switch byte {
        case 0x0A: output[1] = UInt8(ascii: "n"); return 2
        case 0x0D: output[1] = UInt8(ascii: "r"); return 2
        case 0x09: output[1] = UInt8(ascii: "t"); return 2
        case 0x08: output[1] = UInt8(ascii: "b"); return 2
        case 0x0C: output[1] = UInt8(ascii: "f"); return 2
        default:
            let hex: StaticString = "0123456789abcdef"
            output[1] = UInt8(ascii: "u"); output[2] = 0x30; output[3] = 0x30
            output[4] = hex.utf8Start[Int(byte >> 4)]
            output[5] = hex.utf8Start[Int(byte & 0xF)]
            return 6
        }
    }

    /// Appends `text` as a quoted JSON string to `bytes`.
    public static func appendQuoted(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            // Most text needs no escape: copied as it is, without making room for the worst case.
            if !utf8.contains(where: { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 }) {
                bytes.append(0x22)
                bytes.append(contentsOf: utf8)
                bytes.append(0x22)
                return
            }
            let start = bytes.count
            let capacity = worstCase(utf8.count) + 2
            bytes.append(contentsOf: repeatElement(0, count: capacity))
            let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int in
                let destination = buffer.baseAddress! + start
                destination[0] = 0x22
                var length = 1
                if let base = utf8.baseAddress {
                    length += escape(base, count: utf8.count, doubledQuotes: false, into: destination + 1)
                }
                destination[length] = 0x22
                return length + 1
            }
            bytes.removeLast(capacity - written)
        }
    }
}
