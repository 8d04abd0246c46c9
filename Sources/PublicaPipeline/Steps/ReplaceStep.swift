import PublicaCore

/// `replace: {F: {pattern: "년$", with: ""}}` or `{F: {text: "old", with: "new"}}`: every
/// occurrence in a field's text replaced, field by field.
///
/// Only text values change: null and typed values (after a `cast`, or from JSON) are left as
/// they are, so a `replace` meant to clean text belongs before the `cast`. A pattern's `with`
/// may use `$1`…`$9` (`$0` the whole match, `$$` a `$`); a value longer than
/// ``StepPattern/maximumLength`` bytes is left unchanged by a pattern.
public struct ReplaceStep: PipelineStep {
    /// What is replaced in a field.
    public enum Rule {
        /// Every occurrence of the literal text, compared byte for byte (no Unicode normalization).
        case text(String, with: String)
        /// Every match of the regular expression; `with` may use group references.
        case pattern(String, with: String)
    }

    /// Reported as `replace`.
    public let name = "replace"
    /// The rules, applied in order; a field may have several.
    public let rules: [(field: String, rule: Rule)]
    private let compiled: [Compiled]
    private var indices: [Int] = []

    private enum Compiled {
        /// The UTF-8 of the text replaced, and its replacement.
        case text([UInt8], String)
        case pattern(StepPattern, ReplacementTemplate)
    }

    /// A step applying `rules`; throws a usage error for empty text, a bad pattern, or a group
    /// reference the pattern does not have.
    public init(rules: [(field: String, rule: Rule)]) throws {
        self.rules = rules
        compiled = try rules.map { _, rule in
            switch rule {
            case .text(let old, let new):
                guard !old.isEmpty else { throw PublicaError(.usage, "replace: the text to replace is empty") }
                return .text(Array(old.utf8), new)
            case .pattern(let source, let template):
                let pattern = try StepPattern(source)
                return .pattern(pattern, try ReplacementTemplate(template, groups: pattern.groups))
            }
        }
    }

    /// Finds the fields; the shape passes unchanged.
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        indices = try schema.positions(of: rules.map(\.field), for: name)
        return schema
    }

    /// The record with each rule applied to its field's text.
    public mutating func process(_ record: Record) throws -> StepResult {
        var record = record
        for (index, rule) in zip(indices, compiled) where index < record.values.count {
            guard case .text(let text) = record.values[index] else { continue }
            switch rule {
            case .text(let old, let new):
                let parts = text.parts(separatedBy: old)
                if parts.count > 1 { record.values[index] = .text(parts.joined(separator: new)) }
            case .pattern(let pattern, let template):
                if let replaced = pattern.replacing(in: text, with: template) { record.values[index] = .text(replaced) }
            }
        }
        return .keep(record)
    }
}
