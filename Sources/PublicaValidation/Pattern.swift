/// A Table Schema `pattern` constraint: the whole value must match the regular expression
/// (an XML Schema regular expression, as Frictionless specifies).
///
/// Every pattern is matched in time linear in the value. Most open-data patterns are sequences
/// of literals, classes (`[0-9]`, `[가-힣]`, `\d`, `.`) and quantifiers whose every atom can be
/// matched greedily without ever giving back (`[0-9]{5}`, `0[0-9]{1,2}-[0-9]{3,4}`): those go
/// through a single pass over the bytes. Everything else (groups, alternation, anchors,
/// overlapping quantifiers) runs on `PatternProgram`, an NFA set simulation. Constructs no
/// linear matcher can run (backreferences, look-arounds, possessive and atomic groups) are
/// refused with a ``PatternError``.
public struct Pattern: @unchecked Sendable {
    /// The expression as the schema gives it: what an error message quotes and a descriptor writes back.
    public let source: String
    /// The compiled form behind one reference: a pattern is copied for every cell a validator
    /// checks, and copying arrays cost more than the match.
    private let compiled: Compiled

    private final class Compiled {
        let atoms: [Atom]?
        /// Every atom's character ranges, back to back (atoms hold offsets: they stay trivial
        /// values, so the matcher copies them without reference counting).
        let ranges: [ClosedRange<UInt32>]
        let program: PatternProgram?

        init(atoms: [Atom]?, ranges: [ClosedRange<UInt32>], program: PatternProgram?) {
            self.atoms = atoms
            self.ranges = ranges
            self.program = program
        }
    }

    private struct Atom {
        var rangeStart: Int
        var rangeCount: Int
        var negated: Bool
        var minimum: Int
        var maximum: Int
        /// Which ASCII characters match (bit n of `asciiLow` for n < 64, of `asciiHigh` for
        /// 64 + n), negation applied: most cells are ASCII, and a bit test beats the range loop.
        var asciiLow: UInt64 = 0
        var asciiHigh: UInt64 = 0
        /// Giving back what this atom took greedily can never help the rest match: its count is
        /// fixed, or none of the characters that may follow it is in its class. The byte matcher
        /// takes only patterns whose every atom is so (`[0-9]{5}`, `0[0-9]{1,2}-`…): one pass, linear.
        var deterministic = false

        @inline(__always)
        func matches(ascii byte: UInt8) -> Bool {
            ((byte < 64 ? asciiLow : asciiHigh) >> UInt64(byte & 63)) & 1 != 0
        }

        @inline(__always)
        func matches(_ value: UInt32, _ ranges: UnsafeBufferPointer<ClosedRange<UInt32>>) -> Bool {
            var found = false
            for index in rangeStart..<(rangeStart + rangeCount) where ranges[index].contains(value) {
                found = true
                break
            }
            return found != negated
        }
    }

    /// Compiles `source`; throws a ``PatternError`` for bad syntax, an unsupported construct or
    /// a program too large.
    public init(_ source: String) throws {
        self.source = source
        // Always parsed in full, so what is refused does not depend on which matcher runs.
        let program = try PatternProgram(source)
        if let (atoms, ranges) = Pattern.compile(Array(source.unicodeScalars)), atoms.allSatisfy(\.deterministic) {
            compiled = Compiled(atoms: atoms, ranges: ranges, program: nil)
        } else {
            compiled = Compiled(atoms: nil, ranges: [], program: program)
        }
    }

    /// True when the whole of `text` matches.
    public func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { matches(utf8: $0) }
    }

    /// True when the whole of the (valid) UTF-8 `bytes` matches, without making a `String`.
    func matches(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let compiled = self.compiled
        guard let atoms = compiled.atoms else { return compiled.program!.matches(bytes) }
        return atoms.withUnsafeBufferPointer { atoms in
            compiled.ranges.withUnsafeBufferPointer { ranges in Pattern.match(atoms, ranges, bytes) }
        }
    }

    /// One greedy pass: every atom is deterministic, so nothing is ever given back.
    private static func match(
        _ atoms: UnsafeBufferPointer<Atom>, _ ranges: UnsafeBufferPointer<ClosedRange<UInt32>>,
        _ bytes: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        var position = 0
        for atomIndex in 0..<atoms.count {
            let atom = atoms[atomIndex]
            var count = 0
            while count < atom.maximum && position < bytes.count {
                let byte = bytes[position]
                if byte < 0x80 {
                    guard atom.matches(ascii: byte) else { break }
                    position += 1
                } else {
                    let (value, length) = PatternProgram.decode(bytes, at: position)
                    guard atom.matches(value, ranges) else { break }
                    position += length
                }
                count += 1
            }
            guard count >= atom.minimum else { return false }
        }
        return position == bytes.count
    }

    /// The simple subset; nil for anything else.
    private static func compile(_ pattern: [Unicode.Scalar]) -> ([Atom], [ClosedRange<UInt32>])? {
        var reader = SubsetReader(pattern)
        var atoms: [Atom] = []
        while !reader.atEnd {
            guard let atom = reader.nextAtom() else { return nil }
            atoms.append(atom)
        }
        markDeterministic(&atoms, reader.allRanges)
        return (atoms, reader.allRanges)
    }

    /// Sets ``Atom/deterministic``: a fixed count, or a class disjoint from every atom that may
    /// come next (the following ones up to and including the first that cannot be skipped).
    private static func markDeterministic(_ atoms: inout [Atom], _ ranges: [ClosedRange<UInt32>]) {
        func disjoint(_ a: Atom, _ b: Atom) -> Bool {
            guard !a.negated && !b.negated, a.asciiLow & b.asciiLow == 0, a.asciiHigh & b.asciiHigh == 0 else {
                return false
            }
            for x in ranges[a.rangeStart..<(a.rangeStart + a.rangeCount)] where x.upperBound >= 128 {
                for y in ranges[b.rangeStart..<(b.rangeStart + b.rangeCount)] where y.upperBound >= 128 {
                    if max(x.lowerBound, y.lowerBound, 128) <= min(x.upperBound, y.upperBound) { return false }
                }
            }
            return true
        }
        for index in atoms.indices {
            var deterministic = atoms[index].minimum == atoms[index].maximum
            var next = index + 1
            if !deterministic {
                deterministic = true
                while next < atoms.count {
                    if !disjoint(atoms[index], atoms[next]) { deterministic = false; break }
                    if atoms[next].minimum > 0 { break }
                    next += 1
                }
            }
            atoms[index].deterministic = deterministic
        }
    }
}

// MARK: - Reading the simple subset

extension Pattern {
    /// Reads a pattern of the simple subset atom by atom: literals, classes (of literals, ranges
    /// and `\d`), `\d`, `.` and escaped punctuation, each with at most one greedy quantifier.
    /// A reading method returns nil for anything beyond that, which is then the program's.
    private struct SubsetReader {
        let pattern: [Unicode.Scalar]
        var index = 0
        /// Every atom's character ranges, back to back, as ``Compiled/ranges`` holds them.
        var allRanges: [ClosedRange<UInt32>] = []

        static let digit: ClosedRange<UInt32> = 0x30...0x39

        init(_ pattern: [Unicode.Scalar]) {
            self.pattern = pattern
        }

        var atEnd: Bool { index >= pattern.count }

        /// The atom at `index` with its quantifier, if any.
        mutating func nextAtom() -> Atom? {
            let atom: Atom
            let scalar = pattern[index]
            switch scalar {
            case "[":
                guard let made = classAtom() else { return nil }
                atom = made
            case "\\":
                guard let made = escapeAtom() else { return nil }
                atom = made
            case ".":
                index += 1
                atom = make([0x0A...0x0A], negated: true)
            case "(", ")", "|", "^", "$", "*", "+", "?", "{", "}":
                return nil
            default:
                index += 1
                atom = make([scalar.value...scalar.value], negated: false)
            }
            return quantified(atom)
        }

        /// `[…]` or `[^…]` at `index`: literals, ranges and `\d`; `]` first is a literal.
        private mutating func classAtom() -> Atom? {
            index += 1
            var negated = false
            if index < pattern.count && pattern[index] == "^" {
                negated = true
                index += 1
            }
            var ranges: [ClosedRange<UInt32>] = []
            var first = true
            while index < pattern.count && (pattern[index] != "]" || first) {
                first = false
                var low = pattern[index]
                if low == "\\" {
                    guard index + 1 < pattern.count else { return nil }
                    index += 1
                    low = pattern[index]
                    if low == "d" { ranges.append(SubsetReader.digit); index += 1; continue }
                    // Any other letter or digit escape (\w, \p{…}, \n…) is the program's to read.
                    if low.properties.isAlphabetic || ("0"..."9").contains(low) { return nil }
                }
                if index + 2 < pattern.count && pattern[index + 1] == "-" && pattern[index + 2] != "]" {
                    let high = pattern[index + 2]
                    guard low.value <= high.value, high != "\\" else { return nil }
                    ranges.append(low.value...high.value)
                    index += 3
                } else {
                    ranges.append(low.value...low.value)
                    index += 1
                }
            }
            guard index < pattern.count else { return nil }
            index += 1
            return make(ranges, negated: negated)
        }

        /// `\d` or an escaped punctuation character at `index`.
        private mutating func escapeAtom() -> Atom? {
            guard index + 1 < pattern.count else { return nil }
            let escaped = pattern[index + 1]
            index += 2
            switch escaped {
            case "d": return make([SubsetReader.digit], negated: false)
            case ".", "-", "\\", "/", "+", "*", "?", "(", ")", "[", "]", "{", "}", "|", "^", "$":
                return make([escaped.value...escaped.value], negated: false)
            default: return nil
            }
        }

        /// `atom` with the quantifier at `index` applied (`?`, `*`, `+`, `{m}`, `{m,}`, `{m,n}`);
        /// nil for a lazy or possessive one, or braces that do not close.
        private mutating func quantified(_ atom: Atom) -> Atom? {
            var atom = atom
            guard index < pattern.count else { return atom }
            switch pattern[index] {
            case "?": atom.minimum = 0; index += 1
            case "*": atom.minimum = 0; atom.maximum = Int.max; index += 1
            case "+": atom.maximum = Int.max; index += 1
            case "{":
                guard let close = pattern[index...].firstIndex(of: "}") else { return nil }
                let body = String(String.UnicodeScalarView(pattern[(index + 1)..<close]))
                let parts = body.split(separator: ",", omittingEmptySubsequences: false)
                guard let low = Int(parts[0]) else { return nil }
                atom.minimum = low
                atom.maximum = parts.count == 1 ? low : (parts[1].isEmpty ? Int.max : Int(parts[1]) ?? -1)
                guard atom.maximum >= low else { return nil }
                index = close + 1
            default: break
            }
            // A lazy or possessive quantifier.
            if index < pattern.count && (pattern[index] == "?" || pattern[index] == "+") { return nil }
            return atom
        }

        /// An atom for one scalar in `ranges` (or, `negated`, not in them), once; its ranges are
        /// appended to ``allRanges`` and its ASCII bits set.
        private mutating func make(_ ranges: [ClosedRange<UInt32>], negated: Bool) -> Atom {
            var atom = Atom(
                rangeStart: allRanges.count, rangeCount: ranges.count, negated: negated, minimum: 1, maximum: 1)
            allRanges.append(contentsOf: ranges)
            for range in ranges where range.lowerBound < 128 {
                for value in range.lowerBound...min(range.upperBound, 127) {
                    if value < 64 {
                        atom.asciiLow |= 1 << UInt64(value)
                    } else {
                        atom.asciiHigh |= 1 << UInt64(value - 64)
                    }
                }
            }
            if negated {
                atom.asciiLow = ~atom.asciiLow
                atom.asciiHigh = ~atom.asciiHigh
            }
            return atom
        }
    }
}
