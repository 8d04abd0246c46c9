import PublicaCore
import PublicaJSON

/// A foreign key from a resource's schema to another resource of the release: each record's
/// key fields must be a key of the referenced resource as it was written, else the record is
/// rejected (`foreign-key`). A key with a null field is not checked, as Table Schema says.
///
/// The loader adds this step after a resource's own steps; the runner runs the referenced
/// resource first and gives the step its table.
public struct ForeignKeyStep: PipelineStep {
    /// Reported as `foreign_key`.
    public let name = "foreign_key"
    /// The fields that refer, in this resource.
    public let fields: [String]
    /// The resource referred to.
    public let resource: String
    /// Its fields, one for each of ``fields``.
    public let referencedFields: [String]
    /// What a record whose key is not found does: rejected (the default), its key fields set
    /// to null, or the run stopped (the resource's `cast` `on_error` for the key's first field).
    public var onError: SchemaStep.OnError = .reject
    /// The referenced resource's records, given by the runner before the step is prepared.
    public var table: LookupTable?
    /// The referenced resource's shape alone, for checking without running.
    public var referencedSchema: RecordSchema?
    private var positions: [Int] = []
    private var incoming: [String] = []

    /// A check that `fields` refer to `referencedFields` of `resource`.
    public init(fields: [String], resource: String, referencedFields: [String]) {
        self.fields = fields
        self.resource = resource
        self.referencedFields = referencedFields
    }

    /// Finds the key fields on both sides; the shape passes unchanged.
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        incoming = schema.fieldNames
        positions = try schema.positions(of: fields, for: "foreign key to \(resource)")
        guard let referenced = table?.schema ?? referencedSchema else {
            throw PublicaError(.internal, "foreign key: the resource \(resource) was not given")
        }
        _ = try referenced.positions(of: referencedFields, for: "foreign key to \(resource)")
        return schema
    }

    /// Keeps a record whose key is found (or has a null field), else rejects it.
    public mutating func process(_ record: Record) throws -> StepResult {
        if positions.contains(where: { $0 >= record.values.count || record.values[$0] == .null }) {
            return .keep(record)
        }
        let key = LookupTable.key(record, positions)
        if table?.contains(key) == true { return .keep(record) }
        let message =
            "\(zip(fields, key).map { "\($0) '\($1)'" }.joined(separator: ", ")) is not a "
            + "\(referencedFields.joined(separator: ", ")) of resource \(resource)"
        switch onError {
        case .reject:
            return .reject(
                Rejection(
                    rawValues: record.values.map { $0.textValue ?? "" }, fieldNames: incoming,
                    provenance: record.provenance, field: fields.first, rule: "foreign-key", message: message))
        case .null:
            var nulled = record
            for position in positions { nulled.values[position] = .null }
            return .keep(nulled)
        case .fail:
            throw PublicaError(
                .data, "foreign key: \(message)",
                at: SourceLocation(file: record.provenance.source, line: record.provenance.line, field: fields.first))
        }
    }
}
