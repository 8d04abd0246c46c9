import PublicaCore
import PublicaJSON

/// `pivot: {index: [fields], key: F, value: F, columns: [..], on_error: reject|fail}`: one
/// record per combination of the `index` values, with the index fields and then one field per
/// column, holding the `value` of the record whose `key` (as text) names that column; null
/// where no record does. Rows in the order of their first record.
///
/// The columns are named in the file because the outgoing shape must be known before the first
/// record. A record whose key is not a column (a missing key included), or whose index and key
/// another record had already, is rejected (`on_error: reject`, the default) or stops the run
/// (`fail`); a duplicate names both places. The rows are held in memory while they fit half the
/// step's budget; past it the records that follow are held in an external sort and put into
/// their rows at the end (``PivotStep+Spill``): the same table, the duplicates among those
/// records found, and rejected in input order, at the end.
public struct PivotStep: SpillingStep {
    /// What a record that cannot go into the table does: rejected, or the run stops.
    public enum OnError: String, Sendable { case reject, fail }

    /// Reported as `pivot`.
    public let name = "pivot"
    /// The fields whose values make a row.
    public var index: [String]
    /// The field whose value (as text) names the column.
    public var key: String
    /// The field whose value fills the cell.
    public var value: String
    /// The columns after the index fields, in order.
    public var columns: [String]
    /// What an unknown key or a duplicate does.
    public var onError: OnError
    var budget = MemoryBudget()
    var incoming: [String] = []
    var positions: (index: [Int], key: Int, value: Int) = ([], 0, 0)
    private var columnOf: [String: Int] = [:]
    var state = State()

    /// A row of the table: its index values, a cell and the place it came from per column, and
    /// the place of its first record.
    struct Row {
        var index: [FieldValue]
        var cells: [FieldValue?]
        var places: [Provenance?]
        var first: Provenance
    }

    /// The step's memory, a class so the spill files go with it.
    final class State {
        var rows: [Row] = []
        var rowOf: [[FieldValue]: Int] = [:]
        var bytes = 0
        /// Past half the budget: the records that came after, by row, column and input position.
        var held: ExternalSorter?
        let records = HeldRecords()
        var sequence: UInt64 = 0
        var spilledRecords = 0
        /// The index values of a held record, in bytes equal exactly when the values are.
        var key = RecordSpill.Encoder(canonical: true)
    }

    /// A step pivoting `key`/`value` into `columns` by `index`; the fields are looked up in ``prepare(_:)``.
    public init(index: [String], key: String, value: String, columns: [String], onError: OnError = .reject) {
        self.index = index
        self.key = key
        self.value = value
        self.columns = columns
        self.onError = onError
    }

    /// Takes the memory the rows may use before the records that follow spill.
    public mutating func use(_ budget: MemoryBudget) { self.budget = budget }

    /// Records held in a spill file because the rows outgrew half the budget (0: none).
    public var spilledRecords: Int { state.spilledRecords }

    /// Checks the fields; the outgoing shape is the index fields, then the columns.
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        positions = (
            try schema.positions(of: index, for: name), try schema.position(of: key, for: name),
            try schema.position(of: value, for: name)
        )
        incoming = schema.fieldNames
        columnOf = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        state = State()
        return RecordSchema(fieldNames: index + columns)
    }

    /// Puts the record's value in its row and column, or rejects it (or stops the run); past
    /// half the budget, holds it for the end.
    public mutating func process(_ record: Record) throws -> StepResult {
        let keyText = field(record, positions.key).textValue ?? ""
        guard let column = columnOf[keyText] else {
            return try problem(
                record, rule: "pivot-key",
                "pivot: key '\(keyText)' in '\(key)' is not one of the columns (\(columns.joined(separator: ", ")))")
        }
        if let held = state.held {
            try hold(record, column: column, in: held)
            return .held
        }
        let rowKey = positions.index.map { field(record, $0) }
        let row = state.rowOf[rowKey] ?? newRow(rowKey, first: record.provenance)
        if let earlier = state.rows[row].places[column] {
            return try problem(record, rule: "pivot-duplicate", duplicateMessage(column, earlier: earlier))
        }
        let cell = field(record, positions.value)
        state.rows[row].cells[column] = cell
        state.rows[row].places[column] = record.provenance
        state.bytes += RecordSpill.estimatedSize(cell) - MemoryLayout<FieldValue>.stride
        if state.bytes > budget.bytes / 2 {
            // The other half for the sort of what follows, and the sorts at the end.
            state.held = ExternalSorter(budget: MemoryBudget(bytes: budget.bytes / 4, folder: budget.folder))
        }
        return .held
    }

    func field(_ record: Record, _ position: Int) -> FieldValue {
        position < record.values.count ? record.values[position] : .null
    }

    private func newRow(_ rowKey: [FieldValue], first: Provenance) -> Int {
        let row = state.rows.count
        state.rowOf[rowKey] = row
        let empty = Row(
            index: rowKey, cells: Array(repeating: nil, count: columns.count),
            places: Array(repeating: nil, count: columns.count), first: first)
        state.rows.append(empty)
        // The key twice (the index, the row), and a cell and a place per column.
        state.bytes +=
            2 * rowKey.reduce(32) { $0 + RecordSpill.estimatedSize($1) } + 96
            + columns.count * (MemoryLayout<FieldValue?>.stride + MemoryLayout<Provenance?>.stride)
        return row
    }

    func duplicateMessage(_ column: Int, earlier: Provenance) -> String {
        "pivot: a second value for column '\(columns[column])' of the same row (the first at \(earlier.location()))"
    }

    func problem(_ record: Record, rule: String, _ message: String) throws -> StepResult {
        if onError == .fail {
            throw PublicaError(.data, message, at: record.provenance.location(field: key))
        }
        return .reject(rejection(record, rule: rule, message))
    }

    func rejection(_ record: Record, rule: String, _ message: String) -> Rejection {
        Rejection(
            rawValues: record.values.map { $0.textValue ?? "" }, fieldNames: incoming,
            provenance: record.provenance, field: key, rule: rule, message: message)
    }

    /// One record per row, in first-appearance order; past the budget, the held records put into
    /// their rows first, their duplicates rejected.
    public mutating func finish(
        raw: (RawRecord) throws -> Void, records: (Record) throws -> Void, rejects: (Rejection) throws -> Void
    ) throws {
        var later: ExternalSorter?
        if let held = state.held {
            state.held = nil
            later = try merge(held, rejects: rejects)
        }
        for row in state.rows {
            try records(Record(values: row.index + row.cells.map { $0 ?? .null }, provenance: row.first))
        }
        state.rows = []
        state.rowOf = [:]
        try later?.finish { _, payload in try state.records.read(payload, raw: raw, record: records) }
    }

    /// Gives the table's records; a duplicate found at the end (past the budget) has nowhere to
    /// go here, so it stops the run: the engine calls ``finish(raw:records:rejects:)``.
    public mutating func finish(_ emit: (Record) throws -> Void) throws {
        try finishFailingOnRejects(emit, field: key)
    }
}
