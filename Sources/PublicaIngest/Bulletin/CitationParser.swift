import PublicaCore

/// A cited source: `고진(2022), "민·관 협업으로 …", 행정포커스 157호.`
struct Citation {
    var author: String
    var date: DateValue?
    var title: String?
    var publication: String?
    var text: String
}

/// Splits a citation line into its sources: each `AUTHOR(DATE), "TITLE" PUBLICATION`, several per
/// line allowed; a line after a citation prefix with no date gives one undated source.
enum CitationParser {
    /// Where a `(DATE)` of a dated citation stands: the parenthesis, the date and the index after `)`.
    private struct DateParen {
        var open: Int
        var date: DateValue
        var after: Int
    }

    static let openingQuotes: [Unicode.Scalar] = ["\"", "“", "'", "‘"]

    /// True when the line holds at least one dated citation.
    static func hasDatedCitation(_ text: ScalarText) -> Bool { !dateParens(text).isEmpty }

    /// The citations in `content` (the line without its prefix).
    static func parse(_ content: String) -> [Citation] {
        let text = ScalarText(content)
        let parens = dateParens(text)
        guard !parens.isEmpty else { return undated(text).map { [$0] } ?? [] }
        let authorStarts = parens.map { authorStart(text, before: $0.open) }
        var citations: [Citation] = []
        for (index, paren) in parens.enumerated() {
            let segmentEnd = index + 1 < parens.count ? authorStarts[index + 1] : text.count
            let author = clean(text.string(authorStarts[index]..<paren.open))
            let (title, publication) = titleAndPublication(text, from: paren.after, to: segmentEnd)
            citations.append(
                Citation(
                    author: author, date: paren.date, title: title, publication: publication,
                    text: clean(text.string(authorStarts[index]..<segmentEnd))))
        }
        return citations
    }

    /// `(2022)`, `(2022.6)`, `(2022.09.02)`, `(2022. 4)` followed by `,`/`.` and a quote.
    private static func dateParens(_ text: ScalarText) -> [DateParen] {
        var found: [DateParen] = []
        for index in 0..<text.count where text[index] == "(" {
            guard let year = text.digits(at: index + 1, limit: 5), year.end - index - 1 == 4 else { continue }
            var position = year.end
            var month: Int?
            var day: Int?
            if text[position] == ".", let value = text.digits(at: text.skipSpaces(position + 1), limit: 3) {
                month = value.value
                position = value.end
                if text[position] == ".", let value = text.digits(at: text.skipSpaces(position + 1), limit: 3) {
                    day = value.value
                    position = value.end
                }
            }
            guard text[position] == ")", let date = DateValue(year: year.value, month: month, day: day) else {
                continue
            }
            var after = position + 1
            if text[after] == "," || text[after] == "." { after += 1 }
            after = text.skipSpaces(after)
            guard let quote = text[after], openingQuotes.contains(quote) else { continue }
            found.append(DateParen(open: index, date: date, after: after))
        }
        return found
    }

    /// The author begins after the last boundary before the parenthesis: the line start, a
    /// closing quote or period followed by a space, or a colon.
    private static func authorStart(_ text: ScalarText, before open: Int) -> Int {
        let boundaries: Set<Unicode.Scalar> = ["\"", "”", "'", "’", ".", ":"]
        var index = open - 1
        while index > 0 {
            if text.isSpace(index), let previous = text[index - 1], boundaries.contains(previous) { return index + 1 }
            index -= 1
        }
        return 0
    }

    /// The quoted title after the date and the publication after it, within `[from, to)`.
    private static func titleAndPublication(_ text: ScalarText, from: Int, to: Int) -> (String?, String?) {
        guard let quote = text[from], openingQuotes.contains(quote) else {
            let rest = clean(text.string(from..<to))
            return (nil, rest.isEmpty ? nil : rest)
        }
        let closing: Set<Unicode.Scalar> = quote == "“" ? ["”"] : quote == "‘" ? ["’"] : [quote, "”", "’"]
        var index = from + 1
        while index < to, let scalar = text[index], !closing.contains(scalar) { index += 1 }
        let title = clean(text.string((from + 1)..<index))
        let publication = index < to ? clean(text.string((index + 1)..<to)) : ""
        return (title.isEmpty ? nil : title, publication.isEmpty ? nil : publication)
    }

    /// `대한민국 정책 브리핑 웹사이트, "디지털플랫폼정부위원회 출범식."`
    private static func undated(_ text: ScalarText) -> Citation? {
        let content = clean(text.string(0..<text.count))
        guard !content.isEmpty else { return nil }
        var quoteIndex: Int?
        for index in 0..<text.count where text[index].map(openingQuotes.contains) == true {
            quoteIndex = index
            break
        }
        guard let quoteIndex else { return Citation(author: content, text: content) }
        let author = clean(text.string(0..<quoteIndex))
        let (title, publication) = titleAndPublication(text, from: quoteIndex, to: text.count)
        return Citation(author: author, title: title, publication: publication, text: content)
    }

    /// Trims spaces, a leading bullet or comma and trailing `,` `.` `;` `'`.
    static func clean(_ text: String) -> String {
        var result = text.trimmingSpaces
        while let first = result.first, first == "-" || first == "•" || first == "," {
            result = String(result.dropFirst()).trimmingSpaces
        }
        while let last = result.last, last == "," || last == "." || last == ";" || last == "'" {
            result = String(result.dropLast()).trimmingSpaces
        }
        return result
    }
}

extension Citation {
    init(author: String, date: DateValue? = nil, text: String) {
        self.init(author: author, date: date, title: nil, publication: nil, text: text)
    }
}
