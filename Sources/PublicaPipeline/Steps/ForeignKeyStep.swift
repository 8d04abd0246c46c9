import PublicaCore
import PublicaJSON

/// A foreign key from a resource's schema to another resource of the release: each record's
/// key fields must be a key of the referenced resource as it was written, else the record is
/// rejected (`foreign-key`). A key with a null field is not checked, as Table Schema says.
///
/// The loader adds this step after a resource's own steps; the runner runs the referenced
/// resource first and gives the step its table. The referenced keys are indexed as bytes while
/// they fit the step's share of `--memory`; past it they are sorted into a spill file, and the
/// records held with their key and input position are decided at the end, in input order
/// (their rejections after those of the other steps in the rejects file).
public struct ForeignKeyStep: SpillingStep {
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
    private var index: ByteKeyTable?
    private var spilled: SortMergeLookup?
    private var budget = MemoryBudget()
    private var keyBytes: [UInt8] = []

    /// A check that `fields` refer to `referencedFields` of `resource`.
    public init(fields: [String], resource: String, referencedFields: [String]) {
        self.fields = fields
        self.resource = resource
        self.referencedFields = referencedFields
    }

    /// Takes the memory the referenced keys may take before they spill, and where.
    public mutating func use(_ budget: MemoryBudget) { self.budget = budget }

    /// Referenced records sorted into a spill file because their keys outgrew the budget (0: in memory).
    public var spilledReferencedRecords: Int { spilled?.side.count ?? 0 }

    /// Finds the key fields on both sides and reads the referenced keys in; the shape passes
    /// unchanged.
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        incoming = schema.fieldNames
        positions = try schema.positions(of: fields, for: "foreign key to \(resource)")
        guard let referenced = table?.schema ?? referencedSchema else {
            throw PublicaError(.internal, "foreign key: the resource \(resource) was not given")
        }
        let keyPositions = try referenced.positions(of: referencedFields, for: "foreign key to \(resource)")
        (index, spilled) = (nil, nil)
        if let table {
            switch try KeyedSide.read(table, key: keyPositions, names: referencedFields, taken: [], budget: budget) {
            case .memory(let index, _, _): self.index = index
            case .sorted(let side): spilled = SortMergeLookup(side: side, budget: budget)
            }
        }
        return schema
    }

    /// Keeps a record whose key is found (or has a null field), else rejects it (past the
    /// budget, holds it for the end).
    public mutating func process(_ record: Record) throws -> StepResult {
        if positions.contains(where: { $0 >= record.values.count || record.values[$0] == .null }) {
            guard let spilled else { return .keep(record) }
            // Held all the same, so that it keeps its place among the held records.
            try spilled.hold(key: [], record: record)
            return .held
        }
        LookupKey.make(record, positions, into: &keyBytes)
        if let spilled {
            try spilled.hold(key: keyBytes, record: record)
            return .held
        }
        if keyBytes.withUnsafeBufferPointer({ index?.value(for: $0) }) != nil { return .keep(record) }
        return try notFound(record)
    }

    /// Held records, once the referenced keys spilled: each kept if its key is found (or was not
    /// checked), else following ``onError``, in input order.
    public mutating func finish(
        raw: (RawRecord) throws -> Void, records: (Record) throws -> Void, rejects: (Rejection) throws -> Void
    ) throws {
        guard let spilled else { return }
        try spilled.finish(
            decide: { key, payload, match in
                if key.isEmpty || match != nil { return .keep }
                // A failing key stops the run at the end, at the first such record in input order.
                guard onError == .null else { return .reject }
                var record: Record?
                try spilled.held.read(payload, raw: { record = $0.makeRecord() }, record: { record = $0 })
                guard let record else { throw RecordSpill.corrupt }
                switch try notFound(record) {
                case .keep(let nulled): return .replace(spilled.held.payload(nulled))
                default: return .reject
                }
            },
            raw: raw, records: records,
            rejected: { record in
                if case .reject(let rejection) = try notFound(record) { try rejects(rejection) }
            })
    }

    /// Gives the held records as records; one rejected at the end stops the run (there is
    /// nowhere here to put it): the engine calls ``finish(raw:records:rejects:)``.
    public mutating func finish(_ emit: (Record) throws -> Void) throws {
        try finishFailingOnRejects(emit)
    }

    /// What ``onError`` makes of a record whose key is not found: rejected, its key nulled, or an error.
    private func notFound(_ record: Record) throws -> StepResult {
        let key = LookupTable.key(record, positions)
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
