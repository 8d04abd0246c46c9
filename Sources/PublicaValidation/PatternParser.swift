/// Why a `pattern` cannot be used: bad syntax, a construct no linear-time matcher can run
/// (backreferences, look-arounds, possessive and atomic groups), or a program too large.
public struct PatternError: Error, Sendable, CustomStringConvertible {
    /// The explanation, worded to follow `field "x": `.
    public let reason: String

    /// The ``reason``, so that printing or interpolating the error gives the explanation alone.
    public var description: String { reason }

    static func unsupported(_ construct: String) -> PatternError {
        PatternError(
            reason: "pattern uses \(construct), which Publica does not support (patterns are matched in linear time)")
    }

    /// Not a question of time, just not implemented: word boundaries, other Unicode properties.
    static func unknown(_ construct: String, _ hint: String = "") -> PatternError {
        PatternError(
            reason: "pattern uses \(construct), which Publica does not support" + (hint.isEmpty ? "" : " (\(hint))"))
    }

    static func syntax(_ source: String, _ problem: String) -> PatternError {
        PatternError(reason: "invalid pattern \"\(source)\": \(problem)")
    }
}

/// A parsed pattern: what the program compiler (``PatternProgram``) turns into instructions.
indirect enum PatternNode {
    case empty
    /// One scalar from the class at this index of the parser's `classes`.
    case scalar(Int)
    case sequence([PatternNode])
    case choice([PatternNode])
    /// `maximum` nil for no upper bound.
    case repetition(PatternNode, minimum: Int, maximum: Int?)
    case start
    case end
}

/// Parses an XML Schema / Frictionless regular expression over Unicode scalars, by recursive
/// descent: alternation, then sequences, then quantified atoms.
struct PatternParser {
    private let source: String
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private(set) var classes: [ScalarClass] = []

    init(_ source: String) {
        self.source = source
        scalars = Array(source.unicodeScalars)
    }

    /// The whole pattern; throws a ``PatternError``.
    mutating func parse() throws -> PatternNode {
        let node = try parseChoice(depth: 0)
        if index < scalars.count { throw PatternError.syntax(source, "unmatched \")\"") }
        return node
    }

    private var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private mutating func parseChoice(depth: Int) throws -> PatternNode {
        // Nesting is recursion: bound it so a hostile pattern cannot exhaust the stack.
        guard depth < 200 else { throw PatternError.syntax(source, "groups nested more than 200 deep") }
        var branches = [try parseSequence(depth: depth)]
        while peek == "|" {
            index += 1
            branches.append(try parseSequence(depth: depth))
        }
        return branches.count == 1 ? branches[0] : .choice(branches)
    }

    private mutating func parseSequence(depth: Int) throws -> PatternNode {
        var items: [PatternNode] = []
        while let scalar = peek, scalar != "|", scalar != ")" {
            let atom = try parseAtom(depth: depth)
            items.append(try parseQuantifier(atom))
        }
        return items.isEmpty ? .empty : (items.count == 1 ? items[0] : .sequence(items))
    }

    private mutating func parseAtom(depth: Int) throws -> PatternNode {
        let scalar = scalars[index]
        index += 1
        switch scalar {
        case "(": return try parseGroup(depth: depth)
        case "[": return .scalar(add(try parseClass()))
        case ".": return .scalar(add(.dot))
        case "^": return .start
        case "$": return .end
        case "\\": return .scalar(add(ScalarClass(items: [try parseEscape(inClass: false)], negated: false)))
        case "*", "+", "?": throw PatternError.syntax(source, "\"\(scalar)\" has nothing to repeat")
        case "{" where quantifierFollows(at: index - 1):
            throw PatternError.syntax(source, "\"{\" has nothing to repeat")
        default: return .scalar(add(.literal(scalar.value)))
        }
    }

    private mutating func parseGroup(depth: Int) throws -> PatternNode {
        if peek == "?" {
            index += 1
            let kind = peek
            index += 1
            switch kind {
            case ":": break
            case "=", "!": throw PatternError.unsupported("a look-ahead")
            case ">": throw PatternError.unsupported("an atomic group")
            case "<" where peek == "=" || peek == "!": throw PatternError.unsupported("a look-behind")
            case "P" where peek == "=": throw PatternError.unsupported("a backreference")
            // Named groups: captures mean nothing to a whole-value match.
            case "<": try skipGroupName()
            case "P" where peek == "<": try skipGroupName()
            default: throw PatternError.unknown("a \"(?\" group other than \"(?:\"")
            }
        }
        let inner = try parseChoice(depth: depth + 1)
        guard peek == ")" else { throw PatternError.syntax(source, "a group is not closed") }
        index += 1
        return inner
    }

    /// Past `name>` of `(?<name>` or `(?P<name>`.
    private mutating func skipGroupName() throws {
        if peek == "<" { index += 1 }
        guard let close = scalars[index...].firstIndex(of: ">") else {
            throw PatternError.syntax(source, "a group name is not closed")
        }
        index = close + 1
    }

    private mutating func add(_ scalarClass: ScalarClass) -> Int {
        classes.append(scalarClass)
        return classes.count - 1
    }
}

// MARK: - Quantifiers

extension PatternParser {
    /// True when `{` at `position` starts `{m}`, `{m,}` or `{m,n}`.
    private func quantifierFollows(at position: Int) -> Bool {
        var cursor = position + 1
        var digits = 0
        while cursor < scalars.count, scalars[cursor].properties.numericType != nil, scalars[cursor].isASCII {
            cursor += 1; digits += 1
        }
        guard digits > 0, cursor < scalars.count else { return false }
        if scalars[cursor] == "}" { return true }
        guard scalars[cursor] == "," else { return false }
        cursor += 1
        while cursor < scalars.count, scalars[cursor].isASCII, scalars[cursor].properties.numericType != nil {
            cursor += 1
        }
        return cursor < scalars.count && scalars[cursor] == "}"
    }

    private mutating func number() -> Int {
        var value = 0
        while let scalar = peek, scalar.isASCII, let digit = Int(String(scalar)) {
            value = min(value * 10 + digit, 1_000_000)
            index += 1
        }
        return value
    }

    fileprivate mutating func parseQuantifier(_ atom: PatternNode) throws -> PatternNode {
        var node = atom
        var quantified = false
        while let scalar = peek {
            var minimum = 0
            var maximum: Int?
            switch scalar {
            case "?": maximum = 1; index += 1
            case "*": index += 1
            case "+": minimum = 1; index += 1
            case "{" where quantifierFollows(at: index):
                index += 1
                minimum = number()
                maximum = minimum
                if peek == "," {
                    index += 1
                    maximum = peek == "}" ? nil : number()
                }
                index += 1  // "}"
                if let maximum, maximum < minimum {
                    throw PatternError.syntax(source, "{\(minimum),\(maximum)} has its bounds the wrong way round")
                }
            default: return node
            }
            if quantified { throw PatternError.syntax(source, "a quantifier follows a quantifier") }
            quantified = true
            if case .start = node { throw PatternError.syntax(source, "\"^\" cannot be repeated") }
            if case .end = node { throw PatternError.syntax(source, "\"$\" cannot be repeated") }
            node = .repetition(node, minimum: minimum, maximum: maximum)
            // A lazy quantifier matches the same whole values; a possessive one gives nothing back.
            if peek == "?" {
                index += 1
            } else if peek == "+" {
                throw PatternError.unsupported("a possessive quantifier")
            }
        }
        return node
    }
}

// MARK: - Classes and escapes

extension PatternParser {
    /// After `[`: items up to `]`, a leading `^` negating; `]` first is a literal.
    fileprivate mutating func parseClass() throws -> ScalarClass {
        var negated = false
        if peek == "^" {
            negated = true
            index += 1
        }
        var items: [ScalarClass.Item] = []
        var first = true
        while let scalar = peek, scalar != "]" || first {
            first = false
            if scalar == "[" { throw PatternError.unknown("a nested character class or class subtraction") }
            let low = try classMember()
            guard peek == "-", index + 1 < scalars.count, scalars[index + 1] != "]" else {
                items.append(low)
                continue
            }
            index += 1
            if peek == "[" { throw PatternError.unknown("character class subtraction") }
            let high = try classMember()
            guard case .range(let lower) = low, case .range(let upper) = high, lower.count == 1, upper.count == 1 else {
                throw PatternError.syntax(source, "a range in a class needs a single character at each end")
            }
            guard lower.lowerBound <= upper.lowerBound else {
                throw PatternError.syntax(source, "a class range has its ends the wrong way round")
            }
            items.append(.range(lower.lowerBound...upper.lowerBound))
        }
        guard peek == "]" else { throw PatternError.syntax(source, "a character class is not closed") }
        index += 1
        return ScalarClass(items: items, negated: negated)
    }

    private mutating func classMember() throws -> ScalarClass.Item {
        let scalar = scalars[index]
        index += 1
        if scalar == "\\" { return try parseEscape(inClass: true) }
        return .range(scalar.value...scalar.value)
    }

    /// After `\`: a class escape, a control escape or an escaped character.
    fileprivate mutating func parseEscape(inClass: Bool) throws -> ScalarClass.Item {
        guard let scalar = peek else { throw PatternError.syntax(source, "it ends with \"\\\"") }
        index += 1
        switch scalar {
        case "d", "D": return .digit(negated: scalar == "D")
        case "w", "W": return .word(negated: scalar == "W")
        case "s", "S": return .space(negated: scalar == "S")
        case "n": return .range(0x0A...0x0A)
        case "r": return .range(0x0D...0x0D)
        case "t": return .range(0x09...0x09)
        case "f": return .range(0x0C...0x0C)
        case "v": return .range(0x0B...0x0B)
        case "p", "P": return try parseProperty(negated: scalar == "P")
        case "u", "x": return try parseCodePoint(digits: scalar == "u" ? 4 : 2)
        case "1"..."9", "k": throw PatternError.unsupported("a backreference")
        case "b", "B": throw PatternError.unknown("a word boundary (\\\(scalar))")
        default:
            guard !scalar.properties.isAlphabetic, !("0"..."9").contains(scalar) else {
                throw PatternError.unknown("the escape \\\(scalar)")
            }
            return .range(scalar.value...scalar.value)
        }
    }

    /// After `\u` or `\x`: `XXXX` (or `XX`) hexadecimal digits, or `{X…}`.
    private mutating func parseCodePoint(digits: Int) throws -> ScalarClass.Item {
        var hex = ""
        if peek == "{", let close = scalars[index...].firstIndex(of: "}") {
            hex = String(String.UnicodeScalarView(scalars[(index + 1)..<close]))
            index = close + 1
        } else if index + digits <= scalars.count {
            hex = String(String.UnicodeScalarView(scalars[index..<(index + digits)]))
            index += digits
        }
        guard !hex.isEmpty, hex.count <= 8, let value = UInt32(hex, radix: 16), Unicode.Scalar(value) != nil else {
            throw PatternError.syntax(source, "a \\u or \\x escape needs hexadecimal digits of a Unicode scalar")
        }
        return .range(value...value)
    }

    private mutating func parseProperty(negated: Bool) throws -> ScalarClass.Item {
        guard peek == "{", let close = scalars[index...].firstIndex(of: "}") else {
            throw PatternError.syntax(source, "\\p needs a name in braces, as in \\p{L}")
        }
        let name = String(String.UnicodeScalarView(scalars[(index + 1)..<close]))
        index = close + 1
        guard let item = ScalarClass.property(name, negated: negated) else {
            throw PatternError.unknown(
                "\\p{\(name)}", "supported: general categories such as \\p{L} or \\p{Nd}, and \\p{Hangul}")
        }
        return item
    }
}
