/// One pass over UTF-8 bytes that validates them and notes whether any character might
/// change under Unicode NFC normalization.
///
/// Almost all government text is ASCII, precomposed Hangul, CJK ideographs and common
/// punctuation, which NFC leaves alone. Only when a chunk holds something else (conjoining
/// jamo from a macOS NFD file, combining accents, compatibility singletons) do the fields
/// in it go through the slow normalizing path.
enum UTF8Scan {
    struct Result {
        /// Bytes from the start that are complete, valid UTF-8.
        var validCount: Int
        /// True when the bytes after `validCount` are an incomplete sequence cut by the chunk end.
        var truncatedAtEnd: Bool
        /// True when some character is outside the set NFC is known to leave unchanged.
        var mayNeedNormalization: Bool
    }

    /// Scans `count` bytes. Stops at the first invalid sequence (then `validCount < count`
    /// and `truncatedAtEnd` is false).
    static func scan(_ bytes: UnsafePointer<UInt8>, count: Int) -> Result {
        var index = 0
        var mayNeedNormalization = false
        while index < count {
            // ASCII runs, eight bytes at a time.
            while index &+ 8 <= count {
                let word = UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self)
                if word & SWARMask.highBits != 0 { break }
                index &+= 8
            }
            guard index < count else { break }
            let lead = bytes[index]
            if lead < 0x80 {
                index &+= 1
                continue
            }
            // The common case in Korean text: a three-byte character (Hangul, CJK) in full.
            // Decoded at once; a scalar of 0x800 or more outside the surrogates is exactly a valid
            // sequence (E0 overlongs and ED surrogates fall through to the checks below), and
            // precomposed Hangul (U+AC00–U+D7A3) needs no further look.
            if lead & 0xF0 == 0xE0 && index &+ 2 < count {
                let second = bytes[index &+ 1], third = bytes[index &+ 2]
                if second & 0xC0 == 0x80 && third & 0xC0 == 0x80 {
                    let scalar = UInt32(lead & 0x0F) << 12 | UInt32(second & 0x3F) << 6 | UInt32(third & 0x3F)
                    if scalar &- 0xAC00 <= 0xD7A3 - 0xAC00 {
                        index &+= 3
                        continue
                    }
                    if scalar >= 0x800 && scalar &- 0xD800 > 0xDFFF - 0xD800 {
                        if !mayNeedNormalization && !isNormalizationStable(scalar) { mayNeedNormalization = true }
                        index &+= 3
                        continue
                    }
                }
            }
            let length: Int
            var scalar: UInt32
            var lowerBound: UInt8 = 0x80, upperBound: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2; scalar = UInt32(lead & 0x1F)
            case 0xE0: length = 3; scalar = 0; lowerBound = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3; scalar = UInt32(lead & 0x0F)
            case 0xED: length = 3; scalar = 0xD; upperBound = 0x9F
            case 0xF0: length = 4; scalar = 0; lowerBound = 0x90
            case 0xF1...0xF3: length = 4; scalar = UInt32(lead & 0x07)
            case 0xF4: length = 4; scalar = 4; upperBound = 0x8F
            default:
                return Result(validCount: index, truncatedAtEnd: false, mayNeedNormalization: mayNeedNormalization)
            }
            for offset in 1..<length {
                guard index &+ offset < count else {
                    // Cut by the chunk end: valid so far?
                    return Result(validCount: index, truncatedAtEnd: true, mayNeedNormalization: mayNeedNormalization)
                }
                let byte = bytes[index &+ offset]
                let low = offset == 1 ? lowerBound : 0x80
                let high = offset == 1 ? upperBound : 0xBF
                guard byte >= low && byte <= high else {
                    return Result(validCount: index, truncatedAtEnd: false, mayNeedNormalization: mayNeedNormalization)
                }
                scalar = (scalar << 6) | UInt32(byte & 0x3F)
            }
            if !mayNeedNormalization && !isNormalizationStable(scalar) { mayNeedNormalization = true }
            index &+= length
        }
        return Result(validCount: count, truncatedAtEnd: false, mayNeedNormalization: mayNeedNormalization)
    }

    /// True for characters that NFC never changes and that never combine with a neighbour:
    /// everything below U+0300, precomposed Hangul, CJK ideographs, compatibility jamo,
    /// fullwidth forms and common punctuation and symbols. (Excluded on purpose: U+2000–U+2001
    /// and U+2126–U+212B, which NFC maps to other characters, and every combining mark.)
    @inline(__always)
    static func isNormalizationStable(_ scalar: UInt32) -> Bool {
        if scalar &- 0xAC00 <= 0xD7A3 - 0xAC00 || scalar < 0x300 { return true }
        return switch scalar {
        case 0x4E00...0x9FFF, 0x3131...0x318E, 0xFF01...0xFFEF,
            0x2010...0x2027, 0x2030...0x205E, 0x20A0...0x20BF, 0x2190...0x21FF, 0x2460...0x27BF,
            0x3000...0x3029, 0x3041...0x3096, 0x30A0...0x30FF, 0x1F000...0x1FAFF, 0x20000...0x2A6DF:
            true
        default:
            false
        }
    }
}

/// Masks for eight-byte words.
enum SWARMask {
    static let highBits: UInt64 = 0x8080_8080_8080_8080
}
