import PublicaCore

/// One problem found in a table or a descriptor: a ``Diagnostic`` whose code is Frictionless's
/// error type, placed by row and field.
public typealias ValidationError = Diagnostic

extension Diagnostic {
    /// An error of Frictionless's `type` (`blank-label`, `missing-cell`, `type-error`, …): the full
    /// sentence as Frictionless words it, the short reason, and the row (the header is row 1), the
    /// field and the cell's text when the error has them, so reports can locate it.
    public init(
        type: String, message: String, note: String = "", rowNumber: Int? = nil, fieldNumber: Int? = nil,
        fieldName: String? = nil, cell: String? = nil
    ) {
        let located = rowNumber != nil || fieldNumber != nil || fieldName != nil
        self.init(
            type, message, note: note,
            at: located ? SourceLocation(file: "", field: fieldName, row: rowNumber, fieldNumber: fieldNumber) : nil,
            cell: cell)
    }

    /// Frictionless's name for ``code``.
    public var type: String { code }
    /// The row, counting the header as row 1; nil for errors about the header or the whole table.
    public var rowNumber: Int? { location?.row }
    /// The 1-based field position; nil for row-wide errors.
    public var fieldNumber: Int? { location?.fieldNumber }
    /// The field's name; nil for row-wide errors.
    public var fieldName: String? { location?.field }

    /// Frictionless's title for the type (`Missing Cell`).
    public var title: String {
        type.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }

    /// Frictionless's tags for the type.
    public var tags: [String] {
        switch type {
        case "blank-label", "duplicate-label", "missing-label", "extra-label", "incorrect-label":
            ["#table", "#header", "#label"]
        case "blank-row", "primary-key", "foreign-key": ["#table", "#row"]
        case "missing-cell", "extra-cell", "type-error", "constraint-error", "unique-error":
            ["#table", "#row", "#cell"]
        default: []
        }
    }

    var descriptor: FieldValue {
        var pairs: [(key: String, value: FieldValue)] = [
            ("type", .text(type)), ("title", .text(title)), ("message", .text(message)),
            ("tags", .list(tags.map(FieldValue.text))), ("note", .text(note))
        ]
        if let rowNumber { pairs.append(("rowNumber", .integer(Int64(rowNumber)))) }
        if let fieldNumber { pairs.append(("fieldNumber", .integer(Int64(fieldNumber)))) }
        if let fieldName { pairs.append(("fieldName", .text(fieldName))) }
        if let cell { pairs.append(("cell", .text(cell))) }
        return .object(pairs)
    }
}

/// The validation of one table.
public struct ValidationTask: Sendable {
    /// The table's resource name: the file's base name (`registry` for `registry.csv`), or its name
    /// in a data package.
    public var name: String
    /// Where the table was read from: its path, as reports name it.
    public var place: String
    /// The header's labels as written in the file, before they were made unique.
    public var labels: [String] = []
    /// How many fields the schema has.
    public var fields = 0
    /// Data rows read (the header not counted), rows with errors included.
    public var rows = 0
    /// The errors kept: all of them, or none when they went to a ``ValidationErrorSink``.
    public var errors: [ValidationError] = []
    /// How many errors went to a sink instead of ``errors``.
    public var streamedErrors = 0
    /// Warnings that are not errors, such as the error limit being reached.
    public var warnings: [String] = []

    /// An empty task for the table `name` read from `place`.
    public init(name: String, place: String) {
        self.name = name
        self.place = place
    }

    /// Every error found: those kept and those streamed to a sink.
    public var errorCount: Int { streamedErrors + errors.count }
    /// True when no error was found.
    public var valid: Bool { errorCount == 0 }

    var descriptor: FieldValue {
        .object([
            ("name", .text(name)), ("type", "table"), ("valid", .boolean(valid)), ("place", .text(place)),
            ("labels", .list(labels.map(FieldValue.text))),
            (
                "stats",
                .object([
                    ("errors", .integer(Int64(errorCount))), ("warnings", .integer(Int64(warnings.count))),
                    ("fields", .integer(Int64(fields))), ("rows", .integer(Int64(rows)))
                ])
            ),
            ("warnings", .list(warnings.map(FieldValue.text))),
            ("errors", .list(errors.map(\.descriptor)))
        ])
    }
}

/// A validation report in Frictionless's shape: `valid`, `stats`, `warnings`, `errors`, `tasks`.
public struct ValidationReport: Sendable {
    /// One task per table validated, in order.
    public var tasks: [ValidationTask]
    /// Errors about the descriptor itself (`schema-error`, `field-error`, `package-error`).
    public var errors: [ValidationError]
    /// How long the validation took, in seconds (written with three decimals).
    public var seconds: Double

    /// A report of these tasks and descriptor errors.
    public init(tasks: [ValidationTask], errors: [ValidationError] = [], seconds: Double = 0) {
        self.tasks = tasks
        self.errors = errors
        self.seconds = seconds
    }

    /// True when the descriptor and every table are free of errors.
    public var valid: Bool { errors.isEmpty && tasks.allSatisfy(\.valid) }
    /// Every error: the descriptor's and every task's, streamed ones included.
    public var errorCount: Int { errors.count + tasks.reduce(0) { $0 + $1.errorCount } }

    /// The report as JSON values, keys as Frictionless writes them.
    public var descriptor: FieldValue {
        let warnings = tasks.flatMap(\.warnings)
        return .object([
            ("valid", .boolean(valid)),
            (
                "stats",
                .object([
                    ("tasks", .integer(Int64(tasks.count))), ("errors", .integer(Int64(errorCount))),
                    ("warnings", .integer(Int64(warnings.count))),
                    ("seconds", ExactDecimal(ValidationReport.secondsText(seconds)).map(FieldValue.decimal) ?? .null)
                ])
            ),
            ("warnings", .list(warnings.map(FieldValue.text))),
            ("errors", .list(errors.map(\.descriptor))),
            ("tasks", .list(tasks.map(\.descriptor)))
        ])
    }

    /// A readable report: one line per error, with place, row and field.
    public var text: String {
        var lines: [String] = []
        for error in errors { lines.append("\(error.type): \(error.note.isEmpty ? error.message : error.note)") }
        for task in tasks {
            lines.append(ValidationReport.summary(of: task))
            for error in task.errors { lines.append(ValidationReport.line(for: error)) }
            for warning in task.warnings { lines.append("  warning: \(warning)") }
        }
        return lines.joined(separator: "\n")
    }

    /// `path: invalid (10 rows, 3 fields, 2 errors)`; `1 row`, `1 error` in the singular.
    static func summary(of task: ValidationTask) -> String {
        func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
        return "\(task.place): \(task.valid ? "valid" : "invalid") (\(counted(task.rows, "row")), "
            + "\(counted(task.fields, "field")), \(counted(task.errorCount, "error")))"
    }

    /// One error of a table: `  row 3, field 2 (name): type-error: …`.
    static func line(for error: ValidationError) -> String {
        var place = "  "
        if let row = error.rowNumber { place += "row \(row)" }
        if let field = error.fieldNumber {
            place +=
                (error.rowNumber == nil ? "" : ", ") + "field \(field)" + (error.fieldName.map { " (\($0))" } ?? "")
        }
        return "\(place)\(place.count > 2 ? ": " : "")\(error.type): \(error.message)"
    }

    /// Seconds with three decimals, as Frictionless writes them.
    static func secondsText(_ seconds: Double) -> String {
        let thousandths = Int((seconds * 1000).rounded())
        return "\(thousandths / 1000).\(String(thousandths % 1000 + 1000).dropFirst())"
    }
}
