import PublicaCore
import PublicaJSON

/// `join: {with: RESOURCE | {path: FILE, …}, on: {left: right}, take: {right: new}, how:
/// left|inner, unmatched: reject|null|drop}`: adds fields of the one record of another table
/// whose key matches each record's (a code list's label, a region's 시도).
///
/// The other table (the right side) must be unique on its key, else the run stops with a data
/// error naming the key and both places. Keys compare as text, so the code `4211000000` matches
/// whether either side typed it or not.
///
/// The right side's keys and taken values are indexed as bytes while they fit the step's share
/// of `--memory`; past it the right side is sorted by key into a spill file, the records are
/// held with their key and input position, and at the end a sort-merge joins them and puts
/// them back in input order (``finish(raw:records:rejects:)``). The output is the in-memory one; records
/// rejected then come after the others in the rejects file.
public struct JoinStep: SpillingStep {
    /// Where the right side comes from.
    public enum Right: Sendable {
        /// Another resource of the release, as it is written (after its steps); it runs first.
        case resource(String)
        /// A file read when the step is prepared (a code list), record by record.
        case file(Pipeline.Source)
    }

    /// What becomes of a record whose key matches nothing on the right.
    public enum Unmatched: String, Sendable {
        /// Rejected, with the key in the message (the default of `how: left` with `unmatched: reject`).
        case reject
        /// Kept, the taken fields null (the default of `how: left`).
        case null
        /// Dropped on purpose, and counted (the default of `how: inner`).
        case drop
    }

    /// Reported as `join`.
    public let name = "join"
    /// The right side.
    public var right: Right
    /// Pairs of (this stream's field, the right side's field) that must be equal.
    public var on: [(left: String, right: String)]
    /// The right side's fields to add, and the name each gets; empty takes every field that is
    /// not a key, under its own name.
    public var take: [(field: String, as: String)]
    /// What an unmatched record does.
    public var unmatched: Unmatched
    /// The right side's table, once known: given by the runner for a resource (or opened from
    /// the file at ``prepare(_:)``); indexed, or sorted, when the step is prepared.
    public var table: LookupTable?
    /// The right side's shape alone, for checking a pipeline without running it.
    public var rightSchema: RecordSchema?

    var leftPositions: [Int] = []
    var takePositions: [Int] = []
    var incoming: [String] = []
    /// The right side in memory: its keys, and each entry's taken values, for the record path.
    var index: ByteKeyTable?
    var values: [FieldValue] = []
    /// The right side for the fast path; nil when a taken value has no raw form, or it spilled.
    var rawSide: RawJoinSide?
    /// Past the budget: the right side sorted, and the records held against it.
    var spilled: SortMergeLookup?
    var budget = MemoryBudget()
    let buffer = FieldBuffer()
    var keyBytes: [UInt8] = []

    /// A join with `right` on `on`, adding `take`; records that match nothing follow `unmatched`.
    public init(
        right: Right, on: [(left: String, right: String)], take: [(field: String, as: String)] = [],
        unmatched: Unmatched = .null
    ) {
        self.right = right
        self.on = on
        self.take = take
        self.unmatched = unmatched
    }

    /// Takes the memory the right side may take before it spills, and where.
    public mutating func use(_ budget: MemoryBudget) { self.budget = budget }

    /// Right-side records sorted into a spill file because they outgrew the budget (0: in memory).
    public var spilledRightRecords: Int { spilled?.side.count ?? 0 }

    /// Records left out at the end (`unmatched: drop`, once the right side spilled).
    public var droppedWhenFinished: Int { spilled?.dropped ?? 0 }

    /// The resource the join reads, if it reads one.
    public var resource: String? {
        if case .resource(let name) = right { return name }
        return nil
    }

    /// The code-list file the join reads, if it reads one.
    public var lookupFile: String? {
        if case .file(let source) = right { return source.path }
        return nil
    }

    /// Finds the key fields on both sides and the taken fields on the right, and reads the
    /// right side in; the outgoing shape is the incoming one followed by the taken fields.
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        incoming = schema.fieldNames
        leftPositions = try schema.positions(of: on.map(\.left), for: name)
        if table == nil, case .file(let source) = right {
            table = try LookupTable.file(source, describedAs: "join with \(source.path)")
        }
        guard let rightFields = table?.schema ?? rightSchema else {
            throw PublicaError(.internal, "join: the right side (\(resource ?? "?")) was not given")
        }
        let keyPositions = try rightFields.positions(of: on.map(\.right), for: "\(name) (right side)")
        if take.isEmpty {
            take = rightFields.fieldNames.filter { !on.map(\.right).contains($0) }.map { ($0, $0) }
        }
        takePositions = try rightFields.positions(of: take.map(\.field), for: "\(name) (right side)")
        (index, values, rawSide, spilled) = (nil, [], nil, nil)
        if let table {
            switch try KeyedSide.read(
                table, key: keyPositions, names: on.map(\.right), taken: takePositions, budget: budget)
            {
            case .memory(let index, let values, let width):
                (self.index, self.values) = (index, values)
                rawSide = RawJoinSide(index: index, values: values, width: width)
            case .sorted(let side): spilled = SortMergeLookup(side: side, budget: budget)
            }
        }
        return RecordSchema(
            fieldNames: schema.fieldNames + take.map(\.as), originalLabels: schema.originalLabels + take.map(\.as))
    }

    /// Adds the matching record's taken fields, or follows ``unmatched`` (past the budget, holds
    /// the record for the end, unless it is dropped whatever the right side holds).
    public mutating func process(_ record: Record) throws -> StepResult {
        let complete = LookupKey.make(record, leftPositions, into: &keyBytes)
        if let spilled {
            // A record without a key is held too (it matches nothing): its rejection comes in
            // input order among the others', as in memory.
            guard complete || unmatched != .drop else { return .drop }
            try spilled.hold(key: complete ? keyBytes : [], record: record)
            return .held
        }
        var joined = record
        if complete, let match = keyBytes.withUnsafeBufferPointer({ index?.value(for: $0) }) {
            let width = takePositions.count
            joined.values += values[(match * width)..<((match + 1) * width)]
            return .keep(joined)
        }
        switch unmatched {
        case .null:
            joined.values += Array(repeating: .null, count: takePositions.count)
            return .keep(joined)
        case .drop: return .drop
        case .reject: return .reject(rejection(record))
        }
    }

    /// The rejection of a record whose key matches nothing.
    func rejection(_ record: Record) -> Rejection {
        Rejection(
            rawValues: record.values.map { $0.textValue ?? "" }, fieldNames: incoming,
            provenance: record.provenance, field: on.first?.left, rule: "join",
            message: "no match in \(resource ?? lookupFile ?? "the right side") for "
                + zip(on, LookupTable.key(record, leftPositions)).map { "\($0.left) '\($1)'" }.joined(separator: ", "))
    }
}
