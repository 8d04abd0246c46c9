import PublicaCore
import PublicaJSON

/// `map: {F: {values: {code: label, …}, otherwise: keep|null|reject}}`: codes made labels,
/// field by field.
///
/// A value is looked up by its text (a typed `1` by `"1"`) and becomes the label, as text. A
/// value not listed is kept (`keep`, the default), set to null (`null`) or rejects the record
/// (`reject`, rule `map`). Null and empty values are not looked up unless `""` is listed: they
/// stay as they are, whatever `otherwise` says.
public struct MapStep: PipelineStep {
    /// What becomes of a value the table does not list.
    public enum Otherwise: String, Sendable {
        /// It stays as it is.
        case keep
        /// It becomes null.
        case null
        /// The record goes to the rejects file.
        case reject
    }

    /// One field's table.
    public struct Table {
        /// The field mapped.
        public var field: String
        /// Value (as text) to its replacement.
        public var values: [String: String]
        /// What a value not in ``values`` does.
        public var otherwise: Otherwise

        /// A table for `field`.
        public init(field: String, values: [String: String], otherwise: Otherwise = .keep) {
            self.field = field
            self.values = values
            self.otherwise = otherwise
        }
    }

    /// Reported as `map`.
    public let name = "map"
    /// The tables, applied in order.
    public var tables: [Table]
    private var indices: [Int] = []
    /// The replacements made once, so a mapped value shares its label's storage.
    private var labels: [[String: FieldValue]] = []
    private var fieldNames: [String] = []

    /// A step applying `tables`; the fields are looked up in ``prepare(_:)``.
    public init(tables: [Table]) { self.tables = tables }

    /// Finds the fields; the shape passes unchanged.
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        indices = try schema.positions(of: tables.map(\.field), for: name)
        labels = tables.map { $0.values.mapValues(FieldValue.text) }
        fieldNames = schema.fieldNames
        return schema
    }

    /// The record with each listed value replaced, or rejected for one not listed (`otherwise: reject`).
    public mutating func process(_ record: Record) throws -> StepResult {
        var record = record
        for (position, index) in indices.enumerated() where index < record.values.count {
            let text = record.values[index].textValue ?? ""
            if let label = labels[position][text] {
                record.values[index] = label
                continue
            }
            guard !text.isEmpty else { continue }
            switch tables[position].otherwise {
            case .keep: break
            case .null: record.values[index] = .null
            case .reject:
                let field = tables[position].field
                return .reject(
                    record.rejection(
                        fieldNames: fieldNames, field: field, rule: "map",
                        message: "map: '\(text.excerpt)' in field '\(field)' is not one of the values mapped"))
            }
        }
        return .keep(record)
    }
}
