/// One problem, wherever it was found: in a pipeline file, a schema, a table's cells or a run.
///
/// The pipeline loader, schema reading and validation report their problems as diagnostics,
/// and every ``PublicaError`` has one (``PublicaError/diagnostic``), so a caller handles one
/// shape: a code, the words, and the place.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem, as a stable code: Frictionless's error types for schemas and tables
    /// (`schema-error`, `field-error`, `type-error`, `missing-cell`, …), `pipeline` for a pipeline
    /// file, and an error kind's name (`io`, `data`, `usage`, …) for a run's error.
    public var code: String
    /// What is wrong, in words; where it helps, what to write instead.
    public var message: String
    /// The short reason when ``message`` is a whole sentence (`constraint "maximum" is "3"`);
    /// empty when the message says it all.
    public var note: String
    /// Where the problem is; nil when it has no place.
    public var location: SourceLocation?
    /// The value the problem is about, as read (a cell's text); nil when there is none.
    public var cell: String?

    /// A problem of kind `code`, at its place when it has one.
    public init(
        _ code: String, _ message: String, note: String = "", at location: SourceLocation? = nil, cell: String? = nil
    ) {
        self.code = code
        self.message = message
        self.note = note
        self.location = location
        self.cell = cell
    }

    /// One line, compiler style: `file:line:column: error: message` (without a file, `error: message`).
    public var description: String {
        if let location, !location.file.isEmpty { return "\(location): error: \(message)" }
        return "error: \(message)"
    }
}

extension PublicaError {
    /// The error as a ``Diagnostic``: its kind's name as the code, its message and place.
    public var diagnostic: Diagnostic { Diagnostic(kind.name, message, at: location) }
}
