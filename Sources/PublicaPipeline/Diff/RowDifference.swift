import PublicaCore

/// One row that differs between the old and the new table, as ``TableDiff`` finds it.
public struct RowDifference: Sendable {
    /// What became of the row.
    public enum Operation: String, Sendable {
        /// Only in the new table.
        case added
        /// Only in the old table.
        case removed
        /// In both, with a different value in at least one column they share.
        case changed
    }

    /// One column's two values in a changed row.
    public struct Change: Sendable {
        /// The column's name.
        public var column: String
        /// The old table's value (null or text).
        public var old: FieldValue
        /// The new table's value (null or text).
        public var new: FieldValue
    }

    /// Added, removed or changed.
    public var operation: Operation
    /// The key fields and their values.
    public var key: [(field: String, value: FieldValue)]
    /// An added row's new values, or a removed row's old ones, in that table's column order;
    /// empty for a changed row.
    public var row: [(field: String, value: FieldValue)]
    /// A changed row's differing columns, in the old table's column order; empty otherwise.
    public var changes: [Change]

    /// The row as one JSON object: `{"op":…,"key":{…}}` and `"row":{…}` (added, removed) or
    /// `"changes":{"column":{"old":…,"new":…}}` (changed).
    public var descriptor: FieldValue {
        var pairs: [(key: String, value: FieldValue)] = [
            ("op", .text(operation.rawValue)), ("key", .object(key.map { ($0.field, $0.value) }))
        ]
        if operation == .changed {
            pairs.append(
                ("changes", .object(changes.map { ($0.column, .object([("old", $0.old), ("new", $0.new)])) })))
        } else {
            pairs.append(("row", .object(row.map { ($0.field, $0.value) })))
        }
        return .object(pairs)
    }
}
