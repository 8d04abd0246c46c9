import PublicaCore

/// `fill_down: [fields]`: a null or empty value takes the last value above it in its field
/// that was neither (the fix for merged cells: a region written once for the rows below it).
/// Values before the first one stay as they are. Records are taken in stream order, across
/// sources.
public struct FillDownStep: PipelineStep {
    /// Reported as `fill_down`.
    public let name = "fill_down"
    /// The fields filled.
    public var fields: [String]
    private var indices: [Int] = []
    private var last: [FieldValue] = []

    /// A step filling `fields` down; they are looked up in ``prepare(_:)``.
    public init(fields: [String]) { self.fields = fields }

    /// Finds the fields; the shape passes unchanged.
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        indices = try schema.positions(of: fields, for: name)
        last = Array(repeating: .null, count: fields.count)
        return schema
    }

    /// The record with its empty values filled, remembering its others for the records below.
    public mutating func process(_ record: Record) throws -> StepResult {
        var record = record
        for (position, index) in indices.enumerated() {
            let value = record.value(at: index)
            if value == .null || value == .text("") {
                guard last[position] != .null else { continue }
                if record.values.count <= index {
                    record.values += Array(repeating: .null, count: index + 1 - record.values.count)
                }
                record.values[index] = last[position]
            } else {
                last[position] = value
            }
        }
        return .keep(record)
    }
}
