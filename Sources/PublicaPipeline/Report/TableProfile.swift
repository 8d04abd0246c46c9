import PublicaCore
import PublicaJSON

/// The profile of one written table: a ``FieldProfile`` per field, fed every record as it goes
/// to the outputs (raw records straight from their bytes).
public struct TableProfile: Sendable {
    /// The table's (resource's) name.
    public let name: String
    /// One profile per field, in the schema's order.
    public private(set) var fields: [FieldProfile]
    /// Where a doubled-quote field is decoded, reused so no record allocates.
    private var scratch: [UInt8] = []

    /// A profile for a table with these fields; `declaredTypes` maps a field to its schema type.
    public init(name: String, fieldNames: [String], declaredTypes: [String: String] = [:]) {
        self.name = name
        fields = fieldNames.map { FieldProfile(name: $0, declaredType: declaredTypes[$0]) }
    }

    /// Counts a record read from its bytes.
    public mutating func add(raw record: RawRecord) {
        for index in 0..<min(record.fields.count, fields.count) {
            let field = record.fields[index]
            switch field.encoding {
            case .null: fields[index].add(nil)
            case .doubledQuotes: addDecoded(field, at: index)
            default: fields[index].add(UnsafeBufferPointer(start: field.start, count: field.count))
            }
        }
    }

    private mutating func addDecoded(_ field: RawRecord.Field, at index: Int) {
        scratch.removeAll(keepingCapacity: true)
        var offset = 0
        while offset < field.count {
            scratch.append(field.start[offset])
            offset += field.start[offset] == UInt8(ascii: "\"") ? 2 : 1
        }
        scratch.withUnsafeBufferPointer { fields[index].add($0) }
    }

    /// Counts a record.
    public mutating func add(_ record: Record) {
        for index in 0..<min(record.values.count, fields.count) {
            switch record.values[index] {
            case .null: fields[index].add(nil)
            case .text(var text): text.withUTF8 { fields[index].add($0) }
            case .boolean(let value): add(value ? "true" : "false", at: index)
            case .list, .object: add(JSONText.render(record.values[index]), at: index)
            case .integer(let value): add(String(value), at: index)
            case .decimal(let value): add(value.description, at: index)
            case .date(let value): add(value.description, at: index)
            case .dateTime(let value): add(value.description, at: index)
            }
        }
    }

    private mutating func add(_ text: String, at index: Int) {
        var text = text
        text.withUTF8 { fields[index].add($0) }
    }

    /// The profile as the run report gives it: `{"name": …, "fields": [...]}`.
    public var document: FieldValue {
        .object([("name", .text(name)), ("fields", .list(fields.map(\.document)))])
    }
}
