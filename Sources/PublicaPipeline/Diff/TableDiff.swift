import PublicaCore
import PublicaJSON

/// Compares two versions of a table by a key: which rows were added, removed and changed, and
/// in which columns, in bounded memory.
///
/// Both tables go into one external sort (``ExternalSorter``, within ``budget``, spilling to
/// unnamed temporary files past it) under a key of their key fields' bytes (``DiffKey``) and a
/// side byte, so a key's old and new rows come out next to each other; one merge walk then
/// compares each pair. Time is linear in the input (and the sort's n log n), whatever the keys.
///
/// Values compare as text, the way a CSV cell shows them, so null and "" are equal. Columns are
/// matched by name: the shared ones are compared, and those only one table has are reported as
/// added or removed (a row differing only there is unchanged). A key twice on one side is a data
/// error (exit 65) naming both places; a key field missing from a side is a usage error (64).
///
/// The pipeline runner can put "change since the last release" in its report with
/// ``summary(old:new:key:budget:)``: two file paths and a key in, a ``DiffSummary`` (with its
/// JSON ``DiffSummary/descriptor``) out.
public struct TableDiff {
    /// The key fields rows are matched by (in both tables).
    public var key: [String]
    /// The memory the sort may hold before it spills.
    public var budget: MemoryBudget
    /// Sorted runs spilled to disk by the last ``compare(old:new:difference:)`` (0: it fit in memory).
    public private(set) var spilledRuns = 0

    /// A comparison by `key` within `budget`.
    public init(key: [String], budget: MemoryBudget = MemoryBudget()) {
        self.key = key
        self.budget = budget
    }

    /// Compares `old` with `new`: every row that differs goes to `difference`, in key order (the
    /// key texts' byte order), and the counts come back.
    ///
    /// - Throws: a usage error for an empty or repeated key, a key field missing from a side or a
    ///   table that cannot be opened as one table; a data error for a duplicate key or a row the
    ///   reader rejects (its place named); what ``difference`` throws.
    public mutating func compare(
        old: DiffTable, new: DiffTable, difference: (RowDifference) throws -> Void
    ) throws -> DiffSummary {
        try checkKey()
        let oldSource = try old.open()
        let newSource = try new.open()
        let columns = try DiffColumns(
            key: key, old: oldSource.schema, new: newSource.schema, oldPath: old.path, newPath: new.path)
        let sorter = ExternalSorter(budget: budget)
        var merge = DiffMerge(columns: columns, key: key, oldPath: old.path, newPath: new.path)
        merge.summary.oldRows = try TableDiff.load(oldSource, side: DiffKey.oldSide, key: columns.oldKey, into: sorter)
        merge.summary.newRows = try TableDiff.load(newSource, side: DiffKey.newSide, key: columns.newKey, into: sorter)
        try sorter.finish { key, payload in try merge.take(key: key, payload: payload, difference: difference) }
        spilledRuns = sorter.spilledRuns
        return try merge.finish(difference)
    }

    /// The counts of a comparison of the tables at `old` and `new` (formats from their
    /// extensions) by `key`: what changed since the last release, for a report.
    ///
    /// - Throws: as ``compare(old:new:difference:)`` does.
    public static func summary(
        old: String, new: String, key: [String], budget: MemoryBudget = MemoryBudget()
    ) throws -> DiffSummary {
        var diff = TableDiff(key: key, budget: budget)
        return try diff.compare(old: DiffTable(path: old), new: DiffTable(path: new)) { _ in }
    }

    private func checkKey() throws {
        guard !key.isEmpty, !key.contains(where: \.isEmpty) else {
            throw PublicaError(.usage, "the key needs at least one field name (--key a,b)")
        }
        guard Set(key).count == key.count else {
            throw PublicaError(.usage, "the key names a field twice: \(key.joined(separator: ", "))")
        }
    }

    /// Adds every row of `source` to `sorter` under its key and `side`; returns how many there were.
    private static func load(
        _ source: any RecordSource, side: UInt8, key positions: [Int], into sorter: ExternalSorter
    ) throws -> Int {
        var source = source
        var key: [UInt8] = []
        var payload: [UInt8] = []
        var rows = 0
        while let record = try source.next(onReject: rejected) {
            key.removeAll(keepingCapacity: true)
            for position in positions {
                var text = position < record.values.count ? record.values[position].textValue ?? "" : ""
                text.withUTF8 { DiffKey.appendPart($0, to: &key) }
            }
            key.append(side)
            DiffRow.encode(
                record.values, record: record.provenance.recordNumber, line: record.provenance.line, into: &payload)
            try sorter.add(key: key, payload: payload)
            rows += 1
        }
        return rows
    }

    /// A row the reader could not make (a ragged row, an unknown JSON key) cannot be compared.
    private static func rejected(_ rejection: Rejection) throws {
        throw PublicaError(
            .data, "cannot compare this row: \(rejection.message)",
            at: rejection.provenance.location(field: rejection.field))
    }
}
