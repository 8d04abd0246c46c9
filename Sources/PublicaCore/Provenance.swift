/// Where a record came from: the source, the line it starts on and its ordinal.
///
/// Kept on every record so that a reject, a validation error or an auditor can point
/// back at the exact place in the original file.
public struct Provenance: Sendable, Hashable {
    /// The source's name (a file path, or `-` for standard input).
    public var source: String
    /// The 1-based line where the record starts.
    public var line: Int
    /// The last line the record occupies (a quoted field may span lines).
    public var endLine: Int
    /// The 1-based ordinal of the record among the source's data records.
    public var recordNumber: Int

    /// The provenance of record `recordNumber` of `source`, on lines `line` to `endLine` (default:
    /// the one line).
    public init(source: String, line: Int, endLine: Int? = nil, recordNumber: Int) {
        self.source = source
        self.line = line
        self.endLine = endLine ?? line
        self.recordNumber = recordNumber
    }

    /// The location of the record's first line, for error messages.
    public func location(field: String? = nil) -> SourceLocation {
        SourceLocation(file: source, line: line, field: field)
    }
}
