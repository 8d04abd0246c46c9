/// A set of Unicode scalars one pattern position accepts: `a`, `.`, `[^0-9가-힣]`, `\w`, `\p{Lu}`.
///
/// ASCII is decided by a 128-bit map (most cells are ASCII); other scalars go through the items.
struct ScalarClass {
    /// One member of a class; `negated` complements just this item (`\D`, `\W`, `\P{L}`).
    enum Item {
        case range(ClosedRange<UInt32>)
        /// Several ranges as one item, so that `\P{Hangul}` can complement their union.
        case ranges([ClosedRange<UInt32>], negated: Bool)
        /// A bit per `Unicode.GeneralCategory` (see ``ScalarClass/categoryBit(_:)``).
        case categories(UInt64, negated: Bool)
        case word(negated: Bool)
        case space(negated: Bool)
        case digit(negated: Bool)
    }

    var items: [Item]
    var negated: Bool
    private(set) var asciiLow: UInt64 = 0
    private(set) var asciiHigh: UInt64 = 0

    init(items: [Item], negated: Bool) {
        self.items = items
        self.negated = negated
        for value in UInt32(0)..<128 where slowContains(value) {
            if value < 64 { asciiLow |= 1 << UInt64(value) } else { asciiHigh |= 1 << UInt64(value - 64) }
        }
    }

    /// Everything but a line feed, as `.` has always been here.
    static let dot = ScalarClass(items: [.range(0x0A...0x0A)], negated: true)

    static func literal(_ value: UInt32) -> ScalarClass { ScalarClass(items: [.range(value...value)], negated: false) }

    @inline(__always)
    func contains(_ value: UInt32) -> Bool {
        if value < 128 {
            return ((value < 64 ? asciiLow : asciiHigh) >> UInt64(value & 63)) & 1 != 0
        }
        return slowContains(value)
    }

    private func slowContains(_ value: UInt32) -> Bool {
        var found = false
        for item in items where ScalarClass.item(item, contains: value) {
            found = true
            break
        }
        return found != negated
    }

    private static func item(_ item: Item, contains value: UInt32) -> Bool {
        switch item {
        case .range(let range): return range.contains(value)
        case .ranges(let ranges, let negated): return ranges.contains { $0.contains(value) } != negated
        case .digit(let negated): return (0x30...0x39).contains(value) != negated
        case .space(let negated): return isSpace(value) != negated
        case .word(let negated): return isWord(value) != negated
        case .categories(let mask, let negated):
            guard let scalar = Unicode.Scalar(value) else { return negated }
            return (mask & categoryBit(scalar.properties.generalCategory) != 0) != negated
        }
    }

    private static func isSpace(_ value: UInt32) -> Bool {
        if value < 128 { return value == 0x20 || (0x09...0x0D).contains(value) }
        return Unicode.Scalar(value)?.properties.isWhitespace ?? false
    }

    /// Letters, marks, digits and connector punctuation (`_`), as Swift's `Regex` reads `\w`.
    private static func isWord(_ value: UInt32) -> Bool {
        if value < 128 {
            return (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
                || value == 0x5F
        }
        guard let scalar = Unicode.Scalar(value) else { return false }
        let properties = scalar.properties
        if properties.isAlphabetic { return true }
        switch properties.generalCategory {
        case .decimalNumber, .nonspacingMark, .spacingMark, .enclosingMark, .connectorPunctuation: return true
        default: return false
        }
    }

    static func categoryBit(_ category: Unicode.GeneralCategory) -> UInt64 {
        1 << UInt64(allCategories.firstIndex { $0.category == category } ?? 63)
    }

    /// Unicode general categories by their two-letter names, in a fixed order for the bit masks.
    static let allCategories: [(name: String, category: Unicode.GeneralCategory)] = [
        ("Lu", .uppercaseLetter), ("Ll", .lowercaseLetter), ("Lt", .titlecaseLetter), ("Lm", .modifierLetter),
        ("Lo", .otherLetter), ("Mn", .nonspacingMark), ("Mc", .spacingMark), ("Me", .enclosingMark),
        ("Nd", .decimalNumber), ("Nl", .letterNumber), ("No", .otherNumber), ("Pc", .connectorPunctuation),
        ("Pd", .dashPunctuation), ("Ps", .openPunctuation), ("Pe", .closePunctuation), ("Pi", .initialPunctuation),
        ("Pf", .finalPunctuation), ("Po", .otherPunctuation), ("Sm", .mathSymbol), ("Sc", .currencySymbol),
        ("Sk", .modifierSymbol), ("So", .otherSymbol), ("Zs", .spaceSeparator), ("Zl", .lineSeparator),
        ("Zp", .paragraphSeparator), ("Cc", .control), ("Cf", .format), ("Cs", .surrogate), ("Co", .privateUse),
        ("Cn", .unassigned)
    ]

    /// The item for a `\p{…}` name: a general category (`L`, `Lu`, `Nd`…) or the Hangul script
    /// and blocks; nil for any other name.
    static func property(_ name: String, negated: Bool) -> Item? {
        let bare = name.hasPrefix("Is") ? String(name.dropFirst(2)) : name
        switch bare {
        case "Hangul":
            // The Hangul script: Jamo, compatibility Jamo, extended Jamo, syllables, half-width forms.
            let ranges: [ClosedRange<UInt32>] = [
                0x1100...0x11FF, 0x302E...0x302F, 0x3131...0x318E, 0x3200...0x321E,
                0x3260...0x327E, 0xA960...0xA97C, 0xAC00...0xD7A3, 0xD7B0...0xD7FB,
                0xFFA0...0xFFDC
            ]
            return .ranges(ranges, negated: negated)
        case "HangulSyllables": return .ranges([0xAC00...0xD7AF], negated: negated)
        default: break
        }
        var mask: UInt64 = 0
        for (index, entry) in allCategories.enumerated()
        where entry.name == name || (name.count == 1 && entry.name.hasPrefix(name)) {
            mask |= 1 << UInt64(index)
        }
        return mask == 0 ? nil : .categories(mask, negated: negated)
    }
}
