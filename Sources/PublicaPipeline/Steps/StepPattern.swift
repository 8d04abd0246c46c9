import PublicaCore
import PublicaValidation

/// A `split` or `replace` pattern: Swift's `Regex` for the captures, behind Publica's
/// linear-time ``Pattern`` as a gate.
///
/// Publica's own engine finds whether a value matches in linear time but has no captures, so
/// the groups come from Swift's backtracking `Regex`. That one runs only on values the linear
/// engine says match (`wholeMatches` for `split`, `contains` for `replace`), which rules out the
/// classic catastrophic case (a failing match), and only on values of at most
/// ``maximumLength`` bytes, which bounds the rest. The syntax is the one both accept:
/// backreferences and look-arounds are refused; `.` and classes read Unicode scalars and `\d`
/// is `[0-9]`, as in schema patterns.
struct StepPattern {
    /// The longest value (in UTF-8 bytes) a pattern runs on; a longer one does not fit.
    static let maximumLength = 4096

    /// The pattern as written, for messages.
    let source: String
    /// The number of capture groups.
    let groups: Int
    private let regex: Regex<AnyRegexOutput>
    private let whole: Pattern
    private let somewhere: Pattern

    /// Compiles `source`; a usage error says what is wrong with it.
    init(_ source: String) throws {
        self.source = source
        do {
            whole = try Pattern(source)
            somewhere = try Pattern("[\\s\\S]*(?:\(source))[\\s\\S]*")
        } catch {
            throw PublicaError(.usage, "pattern '\(source)': \(error)")
        }
        do {
            regex = try Regex(source).matchingSemantics(.unicodeScalar).asciiOnlyDigits()
        } catch {
            throw PublicaError(.usage, "pattern '\(source)' is not a regular expression Swift reads: \(error)")
        }
        groups = StepPattern.countGroups(source)
        guard !StepPattern.repeatsARepeat(source) else {
            throw PublicaError(
                .usage,
                "pattern '\(source)' repeats a group that holds a repeat (as in (a+)+): the engine that gives "
                    + "the groups could take exponential time on it; write it without the nesting")
        }
    }

    /// The groups of a match of the whole of `text` (nil for a group that took no part), or nil
    /// when it does not match or is too long.
    func captures(wholeOf text: String) -> [Substring?]? {
        guard text.utf8.count <= StepPattern.maximumLength, whole.matches(text),
            let match = try? regex.wholeMatch(in: text)
        else { return nil }
        return (1..<match.output.count).map { match.output[$0].substring }
    }

    /// `text` with every match replaced by `template`'s expansion; nil when nothing matches or
    /// the text is too long for the pattern.
    func replacing(in text: String, with template: ReplacementTemplate) -> String? {
        guard text.utf8.count <= StepPattern.maximumLength, somewhere.matches(text) else { return nil }
        return text.replacing(regex) { match in template.expand(match.output) }
    }

    /// Counts `(` that open a capturing group: not escaped, not in a class, not `(?:`, `(?=`…
    /// (but `(?<name>` and `(?P<name>` capture).
    static func countGroups(_ source: String) -> Int {
        let scalars = Array(source.unicodeScalars)
        var count = 0
        var index = 0
        var inClass = false
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\" {
                index += 2
                continue
            }
            if inClass {
                if scalar == "]" { inClass = false }
            } else if scalar == "[" {
                inClass = true
                // A `]` right after `[` or `[^` is a literal.
                if index + 1 < scalars.count && scalars[index + 1] == "^" { index += 1 }
                if index + 1 < scalars.count && scalars[index + 1] == "]" { index += 1 }
            } else if scalar == "(" {
                let next = index + 1 < scalars.count ? scalars[index + 1] : " "
                let after = index + 2 < scalars.count ? scalars[index + 2] : " "
                let named =
                    next == "?"
                    && ((after == "<" && index + 3 < scalars.count
                        && scalars[index + 3] != "=" && scalars[index + 3] != "!") || after == "P")
                if next != "?" || named { count += 1 }
            }
            index += 1
        }
        return count
    }
}

extension StepPattern {
    /// True when a group holding a repeat that varies (`+`, `*`, `?`, `{m,n}`) is itself repeated
    /// (`(a+)+`, `(\\w+\\s?)*`, `((a*)b){2,}`): the shape that makes a backtracking engine take
    /// exponential time. Overlapping alternatives (`(a|a)*`) are not caught.
    static func repeatsARepeat(_ source: String) -> Bool {
        let scalars = Array(source.unicodeScalars)
        // Per open group, whether what is read of it so far holds a repeat that varies.
        var open: [Bool] = []
        var varies = false
        var index = 0
        while index < scalars.count {
            var groupVaries = false
            switch scalars[index] {
            case "\\": index += 2
            case "[": index = endOfClass(scalars, from: index)
            case "(":
                open.append(varies)
                varies = false
                index += 1
                continue
            case ")":
                groupVaries = varies
                varies = (open.popLast() ?? false) || varies
                index += 1
            default: index += 1
            }
            guard let (changes, repeats, length) = quantifier(scalars, at: index) else { continue }
            if groupVaries && repeats { return true }
            varies = varies || changes
            index += length
            // A lazy or possessive mark.
            if index < scalars.count && (scalars[index] == "?" || scalars[index] == "+") { index += 1 }
        }
        return false
    }

    /// The index after the class opening at `start`.
    private static func endOfClass(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start + 1
        if index < scalars.count && scalars[index] == "^" { index += 1 }
        // A `]` first is a literal.
        if index < scalars.count && scalars[index] == "]" { index += 1 }
        while index < scalars.count && scalars[index] != "]" { index += scalars[index] == "\\" ? 2 : 1 }
        return index + 1
    }

    /// The quantifier at `index`: whether its count varies, whether it may repeat more than
    /// once, and its length; nil when there is none (a `{` that does not close is a literal).
    private static func quantifier(
        _ scalars: [Unicode.Scalar], at index: Int
    ) -> (varies: Bool, repeats: Bool, length: Int)? {
        guard index < scalars.count else { return nil }
        switch scalars[index] {
        case "*", "+": return (true, true, 1)
        case "?": return (true, false, 1)
        case "{":
            guard let close = scalars[index...].firstIndex(of: "}") else { return nil }
            let bounds = String(String.UnicodeScalarView(scalars[(index + 1)..<close]))
                .split(separator: ",", omittingEmptySubsequences: false)
            guard let low = Int(bounds[0]), bounds.count <= 2 else { return nil }
            let high = bounds.count == 1 ? low : Int(bounds[1]) ?? Int.max
            return (high != low, high > 1, close - index + 1)
        default: return nil
        }
    }
}

/// The `with:` of a `replace` by pattern: literal text and `$0`…`$9` group references (`$$` is
/// a `$`).
struct ReplacementTemplate {
    enum Part {
        case text(String)
        case group(Int)
    }

    let parts: [Part]

    /// Reads `source`; a reference to a group the pattern does not have is a usage error.
    init(_ source: String, groups: Int) throws {
        var parts: [Part] = []
        var literal = ""
        var scalars = source.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "$" else {
                literal.unicodeScalars.append(scalar)
                continue
            }
            let next = scalars.next()
            if let next, let digit = Int(String(next)) {
                guard digit <= groups else {
                    throw PublicaError(.usage, "'with' refers to group $\(digit), but the pattern has \(groups)")
                }
                if !literal.isEmpty { parts.append(.text(literal)) }
                literal = ""
                parts.append(.group(digit))
            } else {
                // `$$` and a `$` before anything but a digit are literal.
                literal.unicodeScalars.append("$")
                if let next, next != "$" { literal.unicodeScalars.append(next) }
            }
        }
        if !literal.isEmpty { parts.append(.text(literal)) }
        self.parts = parts
    }

    /// The replacement for one match (a group that took no part gives nothing).
    func expand(_ output: AnyRegexOutput) -> String {
        var result = ""
        for part in parts {
            switch part {
            case .text(let text): result += text
            case .group(let index): if index < output.count, let text = output[index].substring { result += text }
            }
        }
        return result
    }
}
