import PublicaCore

/// What changed between two versions of a table, in counts: rows on each side, rows added,
/// removed, changed and unchanged, how many rows changed in each column, and the columns added
/// or removed. ``descriptor`` is the same as JSON, for a report.
public struct DiffSummary: Sendable, Hashable {
    /// How many rows changed in one column.
    public struct ColumnChanges: Sendable, Hashable {
        /// The column's name.
        public var column: String
        /// The rows whose value in it changed.
        public var rows: Int
    }

    /// The key fields rows were matched by.
    public var key: [String]
    /// Rows in the old table.
    public var oldRows = 0
    /// Rows in the new table.
    public var newRows = 0
    /// Rows only in the new table.
    public var added = 0
    /// Rows only in the old table.
    public var removed = 0
    /// Rows in both with a different value in a shared column.
    public var changed = 0
    /// Rows in both, equal in every shared column.
    public var unchanged = 0
    /// The shared columns with a changed value, in the old table's order, with their counts.
    public var changedColumns: [ColumnChanges] = []
    /// Columns only in the new table.
    public var columnsAdded: [String] = []
    /// Columns only in the old table.
    public var columnsRemoved: [String] = []

    /// An empty summary for `key`.
    public init(key: [String]) {
        self.key = key
    }

    /// True when no row was added, removed or changed and the columns are the same.
    public var isIdentical: Bool {
        added == 0 && removed == 0 && changed == 0 && columnsAdded.isEmpty && columnsRemoved.isEmpty
    }

    /// The summary as a JSON object: `key`, `oldRows`, `newRows`, `added`, `removed`, `changed`,
    /// `unchanged`, `changedColumns` (`{"column": rows}`), `columnsAdded`, `columnsRemoved`, `identical`.
    public var descriptor: FieldValue {
        .object([
            ("key", .list(key.map(FieldValue.text))),
            ("oldRows", .integer(Int64(oldRows))), ("newRows", .integer(Int64(newRows))),
            ("added", .integer(Int64(added))), ("removed", .integer(Int64(removed))),
            ("changed", .integer(Int64(changed))), ("unchanged", .integer(Int64(unchanged))),
            ("changedColumns", .object(changedColumns.map { ($0.column, .integer(Int64($0.rows))) })),
            ("columnsAdded", .list(columnsAdded.map(FieldValue.text))),
            ("columnsRemoved", .list(columnsRemoved.map(FieldValue.text))),
            ("identical", .boolean(isIdentical))
        ])
    }

    /// The summary for people, a line each, every line starting with `indent`.
    public func text(indent: String = "") -> String {
        var lines = [
            "key: \(key.joined(separator: ", "))",
            "rows: \(oldRows) old, \(newRows) new",
            "added: \(added)", "removed: \(removed)", "changed: \(changed)", "unchanged: \(unchanged)"
        ]
        for column in changedColumns { lines.append("  \(column.column): \(column.rows) changed") }
        if !columnsAdded.isEmpty { lines.append("columns added: \(columnsAdded.joined(separator: ", "))") }
        if !columnsRemoved.isEmpty { lines.append("columns removed: \(columnsRemoved.joined(separator: ", "))") }
        if isIdentical { lines.append("identical") }
        return lines.map { indent + $0 + "\n" }.joined()
    }
}
