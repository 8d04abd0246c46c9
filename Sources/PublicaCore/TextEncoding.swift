/// The character encoding of an input file.
public enum TextEncoding: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Byte-order mark if there is one, else UTF-8 if the start of the file is valid UTF-8, else CP949.
    case auto
    case utf8 = "utf-8"
    /// UTF-16 with its byte-order mark (little-endian when there is none).
    case utf16 = "utf-16"
    /// Korean Windows code page 949 (Unified Hangul Code), a superset of EUC-KR.
    case cp949
    case eucKR = "euc-kr"
    /// ISO 8859-1.
    case latin1

    /// Parses a user's spelling: `utf8`, `UTF-8`, `cp949`, `uhc`, `euc-kr`, `latin-1`, `iso-8859-1`…
    public init?(name: String) {
        let key = String(name.lowercased().map { $0 == "_" ? "-" : $0 })
        switch key {
        case "auto": self = .auto
        case "utf-8", "utf8", "utf-8-sig": self = .utf8
        case "utf-16", "utf16", "utf-16le", "utf-16be": self = .utf16
        case "cp949", "uhc", "ms949", "windows-949": self = .cp949
        case "euc-kr", "euckr": self = .eucKR
        case "latin1", "latin-1", "iso-8859-1", "iso8859-1": self = .latin1
        default: return nil
        }
    }

    /// The encoding's name as options spell it (`utf-8`, `cp949`, `euc-kr`).
    public var description: String { rawValue }
}

/// What to do with bytes that are not valid in the input's encoding.
public enum InvalidBytePolicy: String, Sendable, CaseIterable {
    /// Stop with an error naming the line and byte offset.
    case strict
    /// Write U+FFFD REPLACEMENT CHARACTER in their place and count them.
    case replace
}
