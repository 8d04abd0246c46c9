import PublicaCore
import PublicaJSON

/// `explode: {field: F, separator: ";"}`: one record per part of the field's value, the field
/// holding the part and every other field repeated.
///
/// A null or empty value gives one record with the field null, never none; so does an empty
/// part (`a;;b` gives `a`, null, `b`). A list value (repeated XML children) is exploded into its
/// items, without the separator; another typed value is split as its text.
public struct ExplodeStep: PipelineStep {
    /// Reported as `explode`.
    public let name = "explode"
    /// The field exploded.
    public var field: String
    /// The text between parts.
    public let separator: String
    private let separatorBytes: [UInt8]
    private var index = 0

    /// A step exploding `field` at `separator`; throws a usage error for an empty separator.
    public init(field: String, separator: String) throws {
        guard !separator.isEmpty else { throw PublicaError(.usage, "explode: the separator is empty") }
        self.field = field
        self.separator = separator
        separatorBytes = Array(separator.utf8)
    }

    /// Finds the field; the shape passes unchanged.
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        index = try schema.position(of: field, for: name)
        return schema
    }

    /// The record as it is for a value of one part, else one record per part, in order.
    public mutating func process(_ record: Record) throws -> StepResult {
        let value = record.value(at: index)
        let parts: [FieldValue]
        switch value {
        case .null: return .keep(record)
        case .text(let text) where text.isEmpty: return .keep(with(record, .null))
        case .list(let items): parts = items.isEmpty ? [.null] : items.map { $0 == .text("") ? .null : $0 }
        default:
            let text = value.textValue ?? ""
            let cut = text.parts(separatedBy: separatorBytes)
            guard cut.count > 1 else { return .keep(record) }
            parts = cut.map { $0.isEmpty ? .null : .text(String($0)) }
        }
        return .many(parts.map { with(record, $0) })
    }

    /// `record` with `part` as the field's value.
    private func with(_ record: Record, _ part: FieldValue) -> Record {
        var copy = record
        if copy.values.count <= index { copy.values += Array(repeating: .null, count: index + 1 - copy.values.count) }
        copy.values[index] = part
        return copy
    }
}
