import PublicaCore
import PublicaJSON

/// Casts records to a Table Schema's types while converting, with the validator's own checks:
/// a record that fails a type, a constraint, uniqueness or the primary key becomes a
/// `Rejection` naming the field, the rule (the Frictionless error type) and the message.
///
/// The same checks as `publica validate`: one validator, several doors.
public struct RecordCaster {
    /// The schema records are cast to; its fields are the output's, in its order.
    public let schema: TableSchema
    /// For each schema field, the source field it reads (matched by name).
    let sourceIndices: [Int]
    var state: TableValidator.RowState
    /// The fast path; nil when some field or key needs the full check on every row. Unretained:
    /// `rawOwner` keeps it alive, so a record's pass costs no reference counting.
    let rawCast: Unmanaged<RawCast>?
    private let rawOwner: RawCast?

    /// - Throws: a usage error when a schema field is not among the source's fields.
    public init(schema: TableSchema, sourceFields: [String]) throws {
        self.schema = schema
        let positions = Dictionary(sourceFields.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        sourceIndices = try schema.fields.map { field in
            guard let index = positions[field.name] else {
                throw PublicaError(
                    .usage,
                    "schema field '\(field.name)' is not in the input (fields: \(sourceFields.joined(separator: ", ")))"
                )
            }
            return index
        }
        // Foreign keys are checked across tables (the release's foreign-key step, `validate
        // datapackage.json`), never record by record: a cast collecting every key would grow
        // with the input and lose its fast path.
        var checked = schema
        checked.foreignKeys = []
        state = TableValidator.RowState(schema: checked, wanted: [])
        let indices = sourceIndices
        rawOwner = FastRowCheck(schema: checked, state: state).map { RawCast(check: $0, sourceIndices: indices) }
        rawCast = rawOwner.map(Unmanaged.passUnretained)
    }

    /// The source position the schema field at `index` reads.
    public func sourceIndex(of index: Int) -> Int? { index < sourceIndices.count ? sourceIndices[index] : nil }

    /// The output shape: the schema's fields, in its order.
    public var outputSchema: RecordSchema { RecordSchema(fieldNames: schema.fields.map(\.name)) }

    /// A cast record, or why it cannot be one.
    public enum Outcome {
        /// The record typed by the schema: its fields, in the schema's order.
        case record(Record)
        /// The record fails: the first error's field and rule, and every error's message.
        case rejected(Rejection)
    }

    /// The typed record, or why it cannot be one.
    public mutating func cast(_ record: Record) -> Outcome { cast(record, again: false) }

    /// ``cast(_:)`` of the record just cast, a field nulled (`on_error: null`): its keys get the
    /// answers they got then, so the record is not a repeat of itself.
    public mutating func recast(_ record: Record) -> Outcome { cast(record, again: true) }

    private mutating func cast(_ record: Record, again: Bool) -> Outcome {
        state.keys.beginCheck(again: again)
        defer { state.keys.endCheck() }
        return castChecking(record)
    }

    private mutating func castChecking(_ record: Record) -> Outcome {
        let texts = record.values.map { $0.textValue ?? "" }
        let cells = sourceIndices.map { $0 < texts.count ? texts[$0] : "" }
        var task = ValidationTask(name: "", place: record.provenance.source)
        let typed = TableValidator.checkRow(
            cells, row: record.provenance.line, schema: schema, state: &state, into: &task)
        guard let error = task.errors.first else {
            return .record(Record(values: typed, provenance: record.provenance))
        }
        return .rejected(
            Rejection(
                rawValues: cells, fieldNames: schema.fields.map(\.name), provenance: record.provenance,
                field: error.fieldName, rule: error.type,
                message: task.errors.map(\.message).joined(separator: "; ")))
    }
}
