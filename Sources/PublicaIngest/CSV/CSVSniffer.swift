import PublicaCore

/// Finds a file's delimiter (`delimiter: auto`) and header line (`header_row: auto`) from a
/// prefix of its decoded bytes, before the row loop starts: the loop itself never pays for it.
enum CSVSniffer {
    /// The delimiters `auto` chooses from, in the order that breaks ties.
    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]

    /// One physical record of the prefix: its 1-based line and its field count (0 for a line
    /// that is blank, only whitespace, or a comment).
    struct Line: Equatable {
        var number: Int
        var fields: Int
    }

    /// True for a space, a tab, or the first byte of U+3000 when the next two follow.
    @inline(__always)
    static func whitespaceLength(_ base: UnsafePointer<UInt8>, _ index: Int, _ end: Int) -> Int {
        let byte = base[index]
        if byte == 0x20 || byte == 0x09 { return 1 }
        if byte == 0xE3 && index + 2 < end && base[index + 1] == 0x80 && base[index + 2] == 0x80 { return 3 }
        return 0
    }

    /// The records of `bytes` (up to `maxLines`), split by `delimiter` outside quotes. A last
    /// line without a line break counts only when `complete` (the prefix is the whole input).
    static func lines(
        _ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, quote: UInt8?, commentPrefix: UInt8?,
        complete: Bool, maxLines: Int = 500
    ) -> [Line] {
        guard let base = bytes.baseAddress else { return [] }
        let end = bytes.count
        var result: [Line] = []
        var index = 0
        var line = 1
        while index < end && result.count < maxLines {
            let start = line
            var fields = 1
            var content = false
            var atFieldStart = true
            var terminated = false
            let isComment = commentPrefix != nil && base[index] == commentPrefix
            while index < end {
                let byte = base[index]
                if let quote, byte == quote, atFieldStart {
                    // A quoted field: up to the closing quote (`""` is one quote).
                    content = true
                    index += 1
                    while index < end {
                        if base[index] == quote {
                            if index + 1 < end && base[index + 1] == quote {
                                index += 2
                                continue
                            }
                            break
                        }
                        if base[index] == 0x0A || (base[index] == 0x0D && !(index + 1 < end && base[index + 1] == 0x0A))
                        {
                            line += 1
                        }
                        index += 1
                    }
                    index += 1
                    atFieldStart = false
                    continue
                }
                if byte == 0x0A || byte == 0x0D {
                    index += (byte == 0x0D && index + 1 < end && base[index + 1] == 0x0A) ? 2 : 1
                    line += 1
                    terminated = true
                    break
                }
                if byte == delimiter {
                    fields += 1
                    atFieldStart = true
                    if byte != 0x09 { content = true }
                    index += 1
                    continue
                }
                let space = whitespaceLength(base, index, end)
                if space > 0 {
                    index += space
                    continue
                }
                content = true
                atFieldStart = false
                index += 1
            }
            guard terminated || complete else { break }
            result.append(Line(number: start, fields: content && !isComment ? fields : 0))
        }
        return result
    }

    /// The most common field count of `counts` (the larger on a tie), and whether it was a tie.
    static func mode(_ counts: some Sequence<Int>) -> (count: Int, frequency: Int, tie: Bool) {
        var tally: [Int: Int] = [:]
        for count in counts { tally[count, default: 0] += 1 }
        let best = tally.max { ($0.value, $0.key) < ($1.value, $1.key) }
        guard let best else { return (0, 0, false) }
        let tie = tally.contains { $0.key != best.key && $0.value == best.value }
        return (best.key, best.value, tie)
    }

    /// The delimiter whose split gives the most lines of one field count (at least two fields),
    /// then the most fields, then the earlier of ``candidates``; nil when none splits the lines.
    static func delimiter(
        _ bytes: UnsafeBufferPointer<UInt8>, quote: UInt8?, commentPrefix: UInt8?, complete: Bool
    ) -> UInt8? {
        var best: (delimiter: UInt8, frequency: Int, count: Int)?
        for candidate in candidates {
            let counts = lines(
                bytes, delimiter: candidate, quote: quote, commentPrefix: commentPrefix, complete: complete
            )
            .map(\.fields).filter { $0 > 0 }
            let (count, frequency, _) = mode(counts)
            guard count >= 2 else { continue }
            if let current = best, (frequency, count) <= (current.frequency, current.count) { continue }
            best = (candidate, frequency, count)
        }
        return best?.delimiter
    }

    /// Why the header could not be found.
    enum HeaderSearchFailure: Error {
        /// The lines below do not settle on one field count.
        case noSettledCount
        /// No line is followed by a line of the data's field count.
        case noHeaderLine(dataFields: Int)
    }

    /// The header's 1-based line: the data's field count is the most common one among the later
    /// half of the non-blank lines; the header is the first line of that count followed by
    /// another (or the only line). Nil for a prefix without lines (an empty file).
    static func headerLine(_ lines: [Line]) -> Result<Int?, HeaderSearchFailure> {
        let filled = lines.filter { $0.fields > 0 }
        guard let first = filled.first else { return .success(nil) }
        guard filled.count > 1 else { return .success(first.number) }
        let later = filled[(filled.count / 2)...]
        let (dataFields, _, tie) = mode(later.map(\.fields))
        guard !tie else { return .failure(.noSettledCount) }
        for index in filled.indices.dropLast() where filled[index].fields == dataFields {
            if filled[index + 1].fields == dataFields { return .success(filled[index].number) }
        }
        return .failure(.noHeaderLine(dataFields: dataFields))
    }
}
