import PublicaCore

/// The byte searches at the heart of the CSV reader, eight bytes at a time.
enum CSVScanner {
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D

    /// The index of the first delimiter, LF or CR in `[from, end)`, or `end`.
    @inline(__always)
    static func findFieldEnd(_ base: UnsafePointer<UInt8>, from: Int, end: Int, delimiter: UInt8) -> Int {
        var index = from
        while index &+ 8 <= end {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            let mask = SWAR.equal(word, delimiter) | SWAR.equal(word, lineFeed) | SWAR.equal(word, carriageReturn)
            if mask != 0 { return index &+ (mask.trailingZeroBitCount &>> 3) }
            index &+= 8
        }
        while index < end {
            let byte = base[index]
            if byte == delimiter || byte == lineFeed || byte == carriageReturn { return index }
            index &+= 1
        }
        return end
    }

    /// The index of the first quote, LF or CR in `[from, end)`, or `end`.
    @inline(__always)
    static func findQuoteOrNewline(_ base: UnsafePointer<UInt8>, from: Int, end: Int, quote: UInt8) -> Int {
        var index = from
        while index &+ 8 <= end {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            let mask = SWAR.equal(word, quote) | SWAR.equal(word, lineFeed) | SWAR.equal(word, carriageReturn)
            if mask != 0 { return index &+ (mask.trailingZeroBitCount &>> 3) }
            index &+= 8
        }
        while index < end {
            let byte = base[index]
            if byte == quote || byte == lineFeed || byte == carriageReturn { return index }
            index &+= 1
        }
        return end
    }

    /// The index of the first LF or CR in `[from, end)`, or `end`.
    @inline(__always)
    static func findNewline(_ base: UnsafePointer<UInt8>, from: Int, end: Int) -> Int {
        var index = from
        while index < end {
            let byte = base[index]
            if byte == lineFeed || byte == carriageReturn { return index }
            index &+= 1
        }
        return end
    }

    /// Line breaks (LF, CRLF or a lone CR) in `[from, end)`, and the bytes after the last one.
    static func lineBreaks(_ base: UnsafePointer<UInt8>, from: Int, end: Int) -> (count: Int, column: Int) {
        var count = 0
        var lineStart = from
        var index = from
        while index < end {
            let byte = base[index]
            if byte == lineFeed || byte == carriageReturn {
                if byte == carriageReturn && index + 1 < end && base[index + 1] == lineFeed { index += 1 }
                count += 1
                lineStart = index + 1
            }
            index += 1
        }
        return (count, end - lineStart + 1)
    }
}
