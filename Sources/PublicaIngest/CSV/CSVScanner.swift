import PublicaCore

/// The byte searches at the heart of the CSV reader, eight bytes at a time.
enum CSVScanner {
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D

    /// The index of the first `byte`, LF or CR in `[from, end)`, or `end`.
    ///
    /// With the delimiter, this finds the end of an unquoted field; with the quote character,
    /// the next quote inside a quoted one (line breaks are reported so they can be counted).
    @inline(__always)
    static func find(_ byte: UInt8, orNewlineIn base: UnsafePointer<UInt8>, from: Int, end: Int) -> Int {
        var index = from
        while index &+ 8 <= end {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            // One test for LF and CR together (any control byte), then a look at the byte found:
            // a tab or other control in the data only moves the scan on.
            let mask = SWAR.equal(word, byte) | SWAR.lessThan0x20(word)
            if mask != 0 {
                let found = index &+ (mask.trailingZeroBitCount &>> 3)
                let current = base[found]
                if current == byte || current == lineFeed || current == carriageReturn { return found }
                index = found &+ 1
                continue
            }
            index &+= 8
        }
        while index < end {
            let current = base[index]
            if current == byte || current == lineFeed || current == carriageReturn { return index }
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
