import PublicaCore
import PublicaJSON

/// `split: {field: F, into: [a, b], separator: "_"}` (optionally `max: N` cuts) or
/// `{field: F, into: [a, b], pattern: "…"}` (one capture group per target): one field made
/// into several, in its place.
///
/// A value that does not make exactly as many parts as targets goes by ``onError``; a null or
/// empty value gives null parts. A typed value is split as its text; parts are text (an empty part is empty text).
public struct SplitStep: PipelineStep {
    /// How a value is cut.
    public enum Rule {
        /// At every occurrence of the text (at most `maxSplits` cuts, the rest in the last part).
        case separator(String, maxSplits: Int?)
        /// The capture groups of a match of the whole value.
        case pattern(String)
    }

    /// Reported as `split`.
    public let name = "split"
    /// The field split; it is replaced by ``into`` in its position.
    public var field: String
    /// The new fields, in order.
    public var into: [String]
    /// How values are cut.
    public let rule: Rule
    /// What a value that does not fit does to its record (reject by default).
    public var onError: RowStepOnError
    private let pattern: StepPattern?
    private let separator: [UInt8]
    private var index = 0
    private var fieldNames: [String] = []

    /// A step splitting `field` into `into` by `rule`; throws a usage error for an empty
    /// separator, a bad pattern, or one whose groups are not one per target.
    public init(field: String, into: [String], rule: Rule, onError: RowStepOnError = .reject) throws {
        self.field = field
        self.into = into
        self.rule = rule
        self.onError = onError
        guard !into.isEmpty else { throw PublicaError(.usage, "split: 'into' names no field") }
        switch rule {
        case .separator(let text, _):
            guard !text.isEmpty else { throw PublicaError(.usage, "split: the separator is empty") }
            separator = Array(text.utf8)
            pattern = nil
        case .pattern(let source):
            let compiled = try StepPattern(source)
            guard compiled.groups == into.count else {
                throw PublicaError(
                    .usage,
                    "split: the pattern has \(compiled.groups) capture groups for \(into.count) fields in 'into'")
            }
            separator = []
            pattern = compiled
        }
    }

    /// Finds the field; the outgoing shape has ``into`` in its place (the other fields keep
    /// their source labels).
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        index = try schema.position(of: field, for: name)
        fieldNames = schema.fieldNames
        var outgoing = schema
        outgoing.fieldNames.replaceSubrange(index...index, with: into)
        if outgoing.originalLabels.count == schema.count {
            outgoing.originalLabels.replaceSubrange(index...index, with: into)
        } else {
            outgoing.originalLabels = outgoing.fieldNames
        }
        return outgoing
    }

    /// The record with the field's parts in its place, or what ``onError`` says for a value that
    /// does not fit.
    public mutating func process(_ record: Record) throws -> StepResult {
        let parts: [FieldValue]
        if let text = record.value(at: index).textValue, !text.isEmpty {
            guard let cut = cut(text) else { return try misfit(record, text) }
            parts = cut
        } else {
            parts = Array(repeating: .null, count: into.count)
        }
        var record = record
        if record.values.count <= index {
            record.values += Array(repeating: .null, count: index + 1 - record.values.count)
        }
        record.values.replaceSubrange(index...index, with: parts)
        return .keep(record)
    }

    /// The parts of `text`, nil unless there is one per target.
    private func cut(_ text: String) -> [FieldValue]? {
        let parts: [Substring?]
        switch rule {
        case .separator(_, let maxSplits):
            parts = text.parts(separatedBy: separator, maxSplits: maxSplits ?? .max)
        case .pattern:
            guard let captures = pattern!.captures(wholeOf: text) else { return nil }
            parts = captures
        }
        guard parts.count == into.count else { return nil }
        return parts.map { $0.map { .text(String($0)) } ?? .null }
    }

    /// A value that does not make one part per target, by ``onError``.
    private func misfit(_ record: Record, _ text: String) throws -> StepResult {
        let how: String
        switch rule {
        case .separator(let separator, _): how = "at '\(separator)'"
        case .pattern(let source):
            how =
                text.utf8.count > StepPattern.maximumLength
                ? "by the pattern '\(source)' (it is longer than the \(StepPattern.maximumLength) bytes a pattern reads)"
                : "by the pattern '\(source)'"
        }
        let message =
            "split: '\(text.excerpt)' in field '\(field)' does not split \(how) into \(into.count) parts (\(into.joined(separator: ", ")))"
        switch onError {
        case .reject:
            return .reject(record.rejection(fieldNames: fieldNames, field: field, rule: "split", message: message))
        case .fail: throw record.failure(message, field: field)
        case .null:
            var record = record
            record.values.replaceSubrange(index...index, with: Array(repeating: FieldValue.null, count: into.count))
            return .keep(record)
        }
    }
}
