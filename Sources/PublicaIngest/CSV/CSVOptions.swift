import PublicaCore

/// How a CSV file is written: delimiter, quote and comment characters.
public struct CSVDialect: Sendable, Hashable {
    /// The field delimiter (`,` for CSV, tab for TSV, `;` or `|` elsewhere).
    public var delimiter: UInt8
    /// The quote character; nil when the file never quotes.
    public var quote: UInt8?
    /// Lines starting with this byte are comments and are skipped.
    public var commentPrefix: UInt8?

    /// A dialect; by default RFC 4180's: comma, double quote, no comments.
    public init(delimiter: UInt8 = UInt8(ascii: ","), quote: UInt8? = UInt8(ascii: "\""), commentPrefix: UInt8? = nil) {
        self.delimiter = delimiter
        self.quote = quote
        self.commentPrefix = commentPrefix
    }

    /// Comma-separated, double-quoted.
    public static let csv = CSVDialect()
    /// Tab-separated, double-quoted.
    public static let tsv = CSVDialect(delimiter: UInt8(ascii: "\t"))
}

/// Everything that decides how a CSV file is read.
public struct CSVReadOptions: Sendable {
    /// The delimiter, quote and comment characters.
    public var dialect: CSVDialect
    /// False when the file has no header row: fields are then named `field_1`, `field_2`…
    public var hasHeader: Bool
    /// The 1-based line of the header; the lines above it (titles, search conditions) are skipped.
    public var headerRow: Int
    /// True when the header's line is found by itself (``headerRow`` is then ignored): the
    /// first line whose field count is the most common count of the lines below it and that
    /// the next lines share; title lines and `[검색조건]` blocks above it are skipped.
    public var findsHeaderRow = false
    /// How many lines the header spans (default 1): their labels are combined per column with a
    /// space (`2017` over `총인구 (명)` is `2017 총인구 (명)`); a blank cell of an upper line takes
    /// the value to its left, as merged cells do, and a label repeated below is written once.
    public var headerRows = 1
    /// True when the delimiter is sniffed from the first rows (comma, semicolon, tab or pipe:
    /// the one that splits them into the most consistent number of fields, outside quotes).
    public var sniffsDelimiter = false
    /// Which whitespace (space, tab, U+3000) is cut from values and labels; when it is on,
    /// lines of only whitespace are blank lines.
    public var trim: TrimMode = .none
    /// Data rows to skip right after the header (such as a units row).
    public var skipRows: Int
    /// What becomes of a row with more or fewer fields than the header (default: rejected).
    public var fieldCountPolicy: FieldCountPolicy
    /// Blank lines are skipped (and counted) when the table has more than one field.
    public var skipBlankLines: Bool
    /// The file's encoding; `auto` (default) goes by a byte-order mark, else UTF-8 if the first
    /// chunk read (up to 1 MiB) is valid UTF-8, else CP949.
    public var encoding: TextEncoding
    /// What an invalid byte sequence does: stop the read (`strict`, default) or become U+FFFD.
    public var invalidBytes: InvalidBytePolicy
    /// The working buffer's starting size; it doubles for a record that does not fit.
    public var bufferSize: Int
    /// The longest record accepted, in bytes (about: a row may pass up to 1 KiB over), so a
    /// runaway quote or an input without line breaks cannot eat all memory (see ``ReadLimits``).
    public var maxRecordBytes: Int

    /// Options with the defaults: comma CSV with a header on line 1, ragged rows rejected, the
    /// encoding found by itself, invalid bytes an error, a 4 MiB buffer and the 32 MiB record limit.
    public init(
        dialect: CSVDialect = .csv, hasHeader: Bool = true, headerRow: Int = 1, skipRows: Int = 0,
        fieldCountPolicy: FieldCountPolicy = .reject, skipBlankLines: Bool = true,
        encoding: TextEncoding = .auto, invalidBytes: InvalidBytePolicy = .strict,
        bufferSize: Int = 4 << 20, maxRecordBytes: Int = ReadLimits.defaultMaxRecordBytes
    ) {
        self.dialect = dialect
        self.hasHeader = hasHeader
        self.headerRow = headerRow
        self.skipRows = skipRows
        self.fieldCountPolicy = fieldCountPolicy
        self.skipBlankLines = skipBlankLines
        self.encoding = encoding
        self.invalidBytes = invalidBytes
        self.bufferSize = bufferSize
        self.maxRecordBytes = maxRecordBytes
    }
}

/// Counts a CSV read keeps, for the run report: every line is accounted for.
public struct CSVReadStats: Sendable, Hashable {
    /// Data rows read (including rejected ones).
    public var rows = 0
    /// Rows sent to the rejects output.
    public var rejected = 0
    /// Rows padded with empty values under ``FieldCountPolicy/pad``.
    public var padded = 0
    /// Blank lines skipped.
    public var blankLines = 0
    /// Lines skipped as comments (starting with the dialect's comment character).
    public var commentLines = 0
    /// Lines skipped above the header plus rows skipped below it.
    public var skippedLines = 0
    /// Fields with text after a closing quote (`"a"b`), read leniently as `ab`.
    public var malformedQuotes = 0
    /// Invalid byte sequences replaced by U+FFFD.
    public var replacedBytes = 0
    /// Rows (of `rows`) written by the fused JSON-lines path in one pass; not a report figure,
    /// a check that the fast path is taken.
    public var fusedRows = 0

    /// All counts zero.
    public init() {}
}
