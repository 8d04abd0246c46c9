import PublicaCore
import PublicaJSON

/// `join: {with: RESOURCE | {path: FILE, …}, on: {left: right}, take: {right: new}, how:
/// left|inner, unmatched: reject|null|drop}`: adds fields of the one record of another table
/// whose key matches each record's (a code list's label, a region's 시도).
///
/// The other table (the right side) is read whole and must be unique on its key, else the run
/// stops with a data error naming the key and both places. Keys compare as text, so the code
/// `4211000000` matches whether either side typed it or not.
public struct JoinStep: PipelineStep {
    /// Where the right side comes from.
    public enum Right: Sendable {
        /// Another resource of the release, as it is written (after its steps); it runs first.
        case resource(String)
        /// A file read whole when the step is prepared (a code list).
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
    /// The right side's table, once known: given by the runner for a resource (or read from the
    /// file at ``prepare(_:)``).
    public var table: LookupTable?
    /// The right side's shape alone, for checking a pipeline without running it.
    public var rightSchema: RecordSchema?

    var leftPositions: [Int] = []
    private var takePositions: [Int] = []
    private var incoming: [String] = []
    /// The right side for the fast path; nil when a taken value has no raw form.
    var rawSide: RawJoinSide?
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

    /// Finds the key fields on both sides and the taken fields on the right; the outgoing shape
    /// is the incoming one followed by the taken fields.
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        incoming = schema.fieldNames
        leftPositions = try schema.positions(of: on.map(\.left), for: name)
        if table == nil, case .file(let source) = right {
            let (fields, records) = try LookupTable.read(source)
            table = try LookupTable(
                schema: fields, records: records, key: on.map(\.right), describedAs: "join with \(source.path)")
        }
        guard let rightFields = table?.schema ?? rightSchema else {
            throw PublicaError(.internal, "join: the right side (\(resource ?? "?")) was not given")
        }
        _ = try rightFields.positions(of: on.map(\.right), for: "\(name) (right side)")
        if take.isEmpty {
            take = rightFields.fieldNames.filter { !on.map(\.right).contains($0) }.map { ($0, $0) }
        }
        takePositions = try rightFields.positions(of: take.map(\.field), for: "\(name) (right side)")
        rawSide = table.flatMap { RawJoinSide(table: $0, key: on.map(\.right), taken: takePositions) }
        return RecordSchema(
            fieldNames: schema.fieldNames + take.map(\.as), originalLabels: schema.originalLabels + take.map(\.as))
    }

    /// Adds the matching record's taken fields, or follows ``unmatched``.
    public mutating func process(_ record: Record) throws -> StepResult {
        let key = LookupTable.key(record, leftPositions)
        var joined = record
        if let match = table?.record(for: key), !key.contains(where: \.isEmpty) {
            joined.values += takePositions.map { $0 < match.values.count ? match.values[$0] : .null }
            return .keep(joined)
        }
        switch unmatched {
        case .null:
            joined.values += Array(repeating: .null, count: takePositions.count)
            return .keep(joined)
        case .drop: return .drop
        case .reject:
            return .reject(
                Rejection(
                    rawValues: record.values.map { $0.textValue ?? "" }, fieldNames: incoming,
                    provenance: record.provenance, field: on.first?.left, rule: "join",
                    message: "no match in \(resource ?? lookupFile ?? "the right side") for "
                        + zip(on, key).map { "\($0.left) '\($1)'" }.joined(separator: ", ")))
        }
    }
}
