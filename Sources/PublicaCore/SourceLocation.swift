/// Where something is in an input: file, line, column, byte offset or field.
///
/// Lines and columns are 1-based; the byte offset is 0-based and counts bytes of the
/// file as stored (before any transcoding).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file's path as the user named it, or `-` for standard input.
    public var file: String
    /// The 1-based line; nil when not known.
    public var line: Int?
    /// The 1-based column; nil when not known (shown only with a line).
    public var column: Int?
    /// The 0-based offset in the file as stored; nil when not known.
    public var byteOffset: Int?
    /// The field (column name) the problem concerns, for record-level problems.
    public var field: String?
    /// The table row, counting the header as row 1 (as Frictionless counts), for table-level problems.
    public var row: Int?
    /// The 1-based position of the field in its row.
    public var fieldNumber: Int?

    /// A location in `file`; give what is known of the rest.
    public init(
        file: String, line: Int? = nil, column: Int? = nil, byteOffset: Int? = nil, field: String? = nil,
        row: Int? = nil, fieldNumber: Int? = nil
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
        self.field = field
        self.row = row
        self.fieldNumber = fieldNumber
    }

    /// `file:line:column`, with a byte offset, row and field when known, compiler style.
    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        if let byteOffset { text += " (byte \(byteOffset))" }
        if let row { text += " [row \(row)]" }
        if let field { text += " [field \(field)]" }
        return text
    }
}
