import PublicaCore

/// Small hand-written scanners over a line's Unicode scalars: dates, figures, sentences.
///
/// Written by hand rather than with regular expressions so that a large or hostile text
/// costs linear time with small constants.
struct ScalarText {
    let scalars: [Unicode.Scalar]

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    var count: Int { scalars.count }

    subscript(_ index: Int) -> Unicode.Scalar? { index >= 0 && index < scalars.count ? scalars[index] : nil }

    func isDigit(_ index: Int) -> Bool {
        guard let scalar = self[index] else { return false }
        return scalar.value >= 0x30 && scalar.value <= 0x39
    }

    func isSpace(_ index: Int) -> Bool { self[index] == " " || self[index] == "\t" }

    /// The digits starting at `index` (at most `limit`), as a number and the index after them.
    func digits(at index: Int, limit: Int = 9) -> (value: Int, end: Int)? {
        var end = index
        var value = 0
        while isDigit(end) && end - index < limit {
            value = value * 10 + Int(scalars[end].value - 0x30)
            end += 1
        }
        return end > index ? (value, end) : nil
    }

    func skipSpaces(_ index: Int) -> Int {
        var index = index
        while isSpace(index) { index += 1 }
        return index
    }

    /// True when `word` stands at `index`.
    func has(_ word: String, at index: Int) -> Bool {
        var position = index
        for scalar in word.unicodeScalars {
            guard self[position] == scalar else { return false }
            position += 1
        }
        return true
    }

    func string(_ range: Range<Int>) -> String {
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[max(0, range.lowerBound)..<min(count, range.upperBound)])
        return String(text)
    }

    /// The sentence around `index`: sentences end at `.`, `?` or `!` followed by a space
    /// (a `.` after a digit, as in `2022. 4`, does not end one).
    func sentence(around index: Int) -> String {
        var start = 0
        var position = 0
        while position < count {
            let scalar = scalars[position]
            if (scalar == "." && !isDigit(position - 1) || scalar == "?" || scalar == "!") && isSpace(position + 1) {
                if position >= index { return string(start..<(position + 1)).trimmingSpaces }
                start = position + 2
            }
            position += 1
        }
        return string(start..<count).trimmingSpaces
    }
}

/// A date written in a line: `2022년 9월 2일`, `2020년 10월`, `2022.9.14`, `(2022)`, `2018년부터 2019년까지`.
struct DateMention {
    var range: Range<Int>
    var value: DateValue
    /// The end of a range (`…부터 …까지`).
    var end: DateValue?

    /// Every date in `text`, left to right.
    static func scan(_ text: ScalarText) -> [DateMention] {
        var mentions: [DateMention] = []
        var index = 0
        while index < text.count {
            guard text.isDigit(index), !text.isDigit(index - 1), let year = text.digits(at: index, limit: 5),
                year.end - index == 4, (1900...2099).contains(year.value)
            else {
                index += 1
                continue
            }
            if let mention = date(in: text, year: year.value, start: index, after: year.end) {
                mentions.append(mention)
                index = mention.range.upperBound
            } else {
                index = year.end
            }
        }
        return mentions
    }

    private static func date(in text: ScalarText, year: Int, start: Int, after: Int) -> DateMention? {
        if text[after] == "년" {
            var position = after + 1
            if text.has("부터", at: position) {
                // 2018년부터 2019년까지
                let next = text.skipSpaces(position + 2)
                if let endYear = text.digits(at: next, limit: 5), endYear.end - next == 4, text[endYear.end] == "년",
                    let from = DateValue(year: year), let to = DateValue(year: endYear.value)
                {
                    let close = text.has("까지", at: endYear.end + 1) ? endYear.end + 3 : endYear.end + 1
                    return DateMention(range: start..<close, value: from, end: to)
                }
            }
            position = text.skipSpaces(position)
            if let month = text.digits(at: position, limit: 3), text[month.end] == "월" {
                var end = month.end + 1
                var day: Int?
                let dayStart = text.skipSpaces(end)
                if let dayDigits = text.digits(at: dayStart, limit: 3), text[dayDigits.end] == "일" {
                    day = dayDigits.value
                    end = dayDigits.end + 1
                }
                guard let value = DateValue(year: year, month: month.value, day: day) else { return nil }
                return DateMention(range: start..<end, value: value)
            }
            return DateValue(year: year).map { DateMention(range: start..<(after + 1), value: $0) }
        }
        if text[after] == "." {
            let monthStart = text.skipSpaces(after + 1)
            guard monthStart - after <= 2, let month = text.digits(at: monthStart, limit: 3),
                month.end - monthStart <= 2
            else { return nil }
            if text[month.end] == ".", let day = text.digits(at: text.skipSpaces(month.end + 1), limit: 3),
                day.end - text.skipSpaces(month.end + 1) <= 2,
                let value = DateValue(year: year, month: month.value, day: day.value)
            {
                return DateMention(range: start..<day.end, value: value)
            }
            return DateValue(year: year, month: month.value).map { DateMention(range: start..<month.end, value: $0) }
        }
        if text[start - 1] == "(" && text[after] == ")" {
            return DateValue(year: year).map { DateMention(range: start..<after, value: $0) }
        }
        return nil
    }
}

/// A number with a counter or unit word: `540개`, `총 33개국`, `100%`, `1,234억 원`.
struct FigureMention {
    var range: Range<Int>
    var number: FieldValue
    var unit: String

    static func scan(_ text: ScalarText, units: [String]) -> [FigureMention] {
        var mentions: [FigureMention] = []
        var index = 0
        while index < text.count {
            guard text.isDigit(index), !text.isDigit(index - 1), text[index - 1] != ".", text[index - 1] != "," else {
                index += 1
                continue
            }
            // Digits with group separators and one decimal point.
            var end = index
            var sawPoint = false
            while end < text.count {
                if text.isDigit(end) {
                    end += 1
                } else if text[end] == ",", text.isDigit(end + 1), text.isDigit(end + 2), text.isDigit(end + 3) {
                    end += 1
                } else if text[end] == ".", !sawPoint, text.isDigit(end + 1) {
                    sawPoint = true
                    end += 1
                } else {
                    break
                }
            }
            let afterNumber = end
            if let unit = units.first(where: { text.has($0, at: afterNumber) }) {
                let digits = text.string(index..<end).filter { $0 != "," }
                let number: FieldValue =
                    Int64(digits).map(FieldValue.integer)
                    ?? ExactDecimal(digits).map(FieldValue.decimal) ?? .text(digits)
                mentions.append(
                    FigureMention(
                        range: index..<(afterNumber + unit.unicodeScalars.count),
                        number: number, unit: unit))
            }
            index = max(end, index + 1)
        }
        return mentions
    }
}
