import PublicaCore

/// `trim: [fields]` (or `trim: all`): spaces, tabs, U+3000 (the ideographic space) and every
/// other Unicode whitespace taken from both ends of text values. Null and typed values are left
/// as they are.
public struct TrimStep: PipelineStep {
    /// Reported as `trim`.
    public let name = "trim"
    /// The fields trimmed; nil for every field.
    public var fields: [String]?
    private var indices: [Int]?

    /// A step trimming `fields` (nil: all); they are looked up in ``prepare(_:)``.
    public init(fields: [String]? = nil) { self.fields = fields }

    /// Finds the fields; the shape passes unchanged.
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        indices = try fields.map { try schema.positions(of: $0, for: name) }
        return schema
    }

    /// The record with its text values trimmed (a value with nothing to trim is not copied).
    public mutating func process(_ record: Record) throws -> StepResult {
        var record = record
        if let indices {
            for index in indices where index < record.values.count { TrimStep.trim(&record.values[index]) }
        } else {
            for index in record.values.indices { TrimStep.trim(&record.values[index]) }
        }
        return .keep(record)
    }

    private static func trim(_ value: inout FieldValue) {
        guard case .text(let text) = value, let first = text.unicodeScalars.first,
            let last = text.unicodeScalars.last, first.properties.isWhitespace || last.properties.isWhitespace
        else { return }
        value = .text(text.trimmingSpaces)
    }
}
