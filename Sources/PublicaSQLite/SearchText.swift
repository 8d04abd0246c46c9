/// The text a row's full-text index entry holds: its words, and every pair of adjacent Hangul
/// syllables in them.
///
/// Korean attaches particles and endings to words (`춘천시에서`, `역사적`), so SQLite's
/// `unicode61` tokenizer, which splits only at spaces and punctuation, finds neither `춘천` nor
/// `역사`; the `trigram` tokenizer needs three characters, and most Korean words and names
/// have two. Indexing each run of three or more syllables also as its bigrams (`춘천 천시 시에
/// 에서`) lets an ordinary `unicode61` index, which Datasette and any SQLite can query without a
/// custom tokenizer, find a word of two syllables or more anywhere in a longer one. Whole words
/// stay in the entry, so a search for a whole word of any length still finds it.
public struct SearchText {
    /// The entry being built (UTF-8).
    public private(set) var bytes: [UInt8] = []
    /// Where the pairs go until the words are all in.
    private var pairs: [UInt8] = []

    /// An empty entry.
    public init() {
        bytes.reserveCapacity(1024)
        pairs.reserveCapacity(1024)
    }

    /// Starts a new row's entry.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        pairs.removeAll(keepingCapacity: true)
    }

    /// Adds one field's text (UTF-8).
    public mutating func append(_ text: UnsafeBufferPointer<UInt8>) {
        guard !text.isEmpty else { return }
        if !bytes.isEmpty { bytes.append(0x20) }
        bytes.append(contentsOf: text)
        appendPairs(of: text)
    }

    /// The entry: the words, then the pairs.
    public mutating func finish() -> [UInt8] {
        if !pairs.isEmpty {
            bytes.append(0x20)
            bytes.append(contentsOf: pairs)
        }
        return bytes
    }

    /// Whether the three bytes at `index` are one precomposed Hangul syllable (U+AC00–U+D7A3,
    /// `EA B0 80` to `ED 9E A3` in UTF-8).
    @inline(__always)
    static func isSyllable(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index &+ 2 < text.count else { return false }
        let first = text[index]
        guard first >= 0xEA && first <= 0xED else { return false }
        let scalar =
            (UInt32(first & 0x0F) << 12) | (UInt32(text[index &+ 1] & 0x3F) << 6) | UInt32(text[index &+ 2] & 0x3F)
        return (0xAC00...0xD7A3).contains(scalar) && text[index &+ 1] & 0xC0 == 0x80 && text[index &+ 2] & 0xC0 == 0x80
    }

    /// Appends the bigrams of every run of three or more syllables (a run of two is a word already).
    private mutating func appendPairs(of text: UnsafeBufferPointer<UInt8>) {
        var index = 0
        while index < text.count {
            guard SearchText.isSyllable(text, at: index) else {
                index &+= 1
                continue
            }
            var end = index
            while SearchText.isSyllable(text, at: end) { end &+= 3 }
            if end &- index >= 9 {
                var start = index
                while start &+ 6 <= end {
                    if !pairs.isEmpty { pairs.append(0x20) }
                    pairs.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<(start &+ 6)]))
                    start &+= 3
                }
            }
            index = end
        }
    }
}
