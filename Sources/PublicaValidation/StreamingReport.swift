import PublicaCore
import PublicaJSON

/// A report written while the table is validated: errors go out as they are found, the
/// summary (counts, warnings, validity) once the table is done.
public protocol StreamingReportWriter: ValidationErrorSink {
    /// Writes what follows the errors; `task` is the validator's result (its errors already streamed).
    func finish(_ task: ValidationTask, seconds: Double) throws
}

/// The text report, one line per error, then the table's summary line and its warnings.
public final class TextReportWriter: StreamingReportWriter {
    private let output: CheckedOutput

    /// A writer to `output` (standard output for `publica validate`), with checked writes.
    public init(_ output: CheckedOutput) {
        self.output = output
    }

    /// Nothing: the text report has no header.
    public func begin(_ task: ValidationTask) throws {}

    /// Writes the error's line (`  row 3, field 2 (name): type-error: …`).
    public func receive(_ error: ValidationError) throws {
        try output.write(ValidationReport.line(for: error) + "\n")
    }

    /// Writes the summary line (`path: invalid (10 rows, 3 fields, 2 errors)`) and the warnings.
    public func finish(_ task: ValidationTask, seconds: Double) throws {
        try output.write(ValidationReport.summary(of: task) + "\n")
        for warning in task.warnings { try output.write("  warning: \(warning)\n") }
        try output.flush()
    }
}

/// Frictionless's JSON report, written incrementally: the task's `errors` array is written
/// before its `stats` and `valid` keys (JSON objects are unordered), so nothing is held back.
public final class JSONReportWriter: StreamingReportWriter {
    private let output: CheckedOutput
    private var first = true

    /// A writer to `output`; one table per report.
    public init(_ output: CheckedOutput) {
        self.output = output
    }

    /// Opens the report and the task's object (name, place, labels) and its `errors` array.
    public func begin(_ task: ValidationTask) throws {
        let head: FieldValue = .object([
            ("name", .text(task.name)), ("type", "table"), ("place", .text(task.place)),
            ("labels", .list(task.labels.map(FieldValue.text)))
        ])
        // The task's opening keys, its object left open for the errors.
        try output.write("{\"tasks\":[" + JSONText.render(head).dropLast() + ",\"errors\":[")
    }

    /// Writes the error as one element of the task's `errors`.
    public func receive(_ error: ValidationError) throws {
        try output.write((first ? "" : ",") + JSONText.render(error.descriptor))
        first = false
    }

    /// Closes the errors and writes the task's and the report's `stats`, `warnings` and `valid`.
    public func finish(_ task: ValidationTask, seconds: Double) throws {
        let warnings = FieldValue.list(task.warnings.map(FieldValue.text))
        let count = FieldValue.integer(Int64(task.errorCount))
        let taskTail: FieldValue = .object([
            (
                "stats",
                .object([
                    ("errors", count), ("warnings", .integer(Int64(task.warnings.count))),
                    ("fields", .integer(Int64(task.fields))), ("rows", .integer(Int64(task.rows)))
                ])
            ),
            ("warnings", warnings), ("valid", .boolean(task.valid))
        ])
        let reportTail: FieldValue = .object([
            ("valid", .boolean(task.valid)),
            (
                "stats",
                .object([
                    ("tasks", .integer(1)), ("errors", count), ("warnings", .integer(Int64(task.warnings.count))),
                    ("seconds", ExactDecimal(ValidationReport.secondsText(seconds)).map(FieldValue.decimal) ?? .null)
                ])
            ),
            ("warnings", warnings), ("errors", .list([]))
        ])
        // `],` closes the errors; each tail object's `{` is dropped to continue the open object.
        try output.write(
            "]," + JSONText.render(taskTail).dropFirst() + "]," + JSONText.render(reportTail).dropFirst() + "\n")
        try output.flush()
    }
}
