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
/// (`fail`); a duplicate names both places. The rows are held in memory: past the step's
/// budget the run stops with a usage error asking for more `--memory`.
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
    private var budget = MemoryBudget()
    private var incoming: [String] = []
    private var positions: (index: [Int], key: Int, value: Int) = ([], 0, 0)
    private var columnOf: [String: Int] = [:]
    private var rowOf: [[FieldValue]: Int] = [:]
    private var rows: [(index: [FieldValue], cells: [FieldValue?], places: [Provenance?], first: Provenance)] = []
    private var bytes = 0

    /// A step pivoting `key`/`value` into `columns` by `index`; the fields are looked up in ``prepare(_:)``.
    public init(index: [String], key: String, value: String, columns: [String], onError: OnError = .reject) {
        self.index = index
        self.key = key
        self.value = value
        self.columns = columns
        self.onError = onError
    }

    /// Takes the memory the rows may use.
    public mutating func use(_ budget: MemoryBudget) { self.budget = budget }

    /// Checks the fields; the outgoing shape is the index fields, then the columns.
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        positions = (
            try schema.positions(of: index, for: name), try schema.position(of: key, for: name),
            try schema.position(of: value, for: name)
        )
        incoming = schema.fieldNames
        columnOf = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return RecordSchema(fieldNames: index + columns)
    }

    /// Puts the record's value in its row and column, or rejects it (or stops the run).
    public mutating func process(_ record: Record) throws -> StepResult {
        let field = { (position: Int) in position < record.values.count ? record.values[position] : .null }
        let keyText = field(positions.key).textValue ?? ""
        guard let column = columnOf[keyText] else {
            return try problem(
                record, rule: "pivot-key",
                "pivot: key '\(keyText)' in '\(key)' is not one of the columns (\(columns.joined(separator: ", ")))")
        }
        let rowKey = positions.index.map(field)
        let row: Int
        if let found = rowOf[rowKey] {
            row = found
        } else {
            row = rows.count
            rowOf[rowKey] = row
            rows.append(
                (
                    rowKey, Array(repeating: nil, count: columns.count), Array(repeating: nil, count: columns.count),
                    record.provenance
                ))
            // The key twice (the index, the row), and a cell and a place per column.
            bytes +=
                2 * rowKey.reduce(32) { $0 + RecordSpill.estimatedSize($1) } + 96
                + columns.count * (MemoryLayout<FieldValue?>.stride + MemoryLayout<Provenance?>.stride)
        }
        if let earlier = rows[row].places[column] {
            return try problem(
                record, rule: "pivot-duplicate",
                "pivot: a second value for column '\(columns[column])' of the same row "
                    + "(the first at \(earlier.location()))")
        }
        let cell = field(positions.value)
        rows[row].cells[column] = cell
        rows[row].places[column] = record.provenance
        bytes += RecordSpill.estimatedSize(cell) - MemoryLayout<FieldValue>.stride
        if bytes > budget.bytes {
            throw PublicaError(
                .usage,
                "pivot: its \(rows.count) rows outgrow the step's memory budget (\(budget.bytes) bytes), and pivot "
                    + "does not spill: give it more with --memory")
        }
        return .held
    }

    private func problem(_ record: Record, rule: String, _ message: String) throws -> StepResult {
        if onError == .fail {
            throw PublicaError(.data, message, at: record.provenance.location(field: key))
        }
        return .reject(
            Rejection(
                rawValues: record.values.map { $0.textValue ?? "" }, fieldNames: incoming,
                provenance: record.provenance, field: key, rule: rule, message: message))
    }

    /// Gives one record per row, in first-appearance order.
    public mutating func finish(_ emit: (Record) throws -> Void) throws {
        for row in rows {
            try emit(Record(values: row.index + row.cells.map { $0 ?? .null }, provenance: row.first))
        }
        rows = []
        rowOf = [:]
    }
}
