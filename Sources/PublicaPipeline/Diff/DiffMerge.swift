import PublicaCore
import PublicaJSON

/// The merge walk over the sorted rows of both tables: a key's old row comes right before its
/// new one, so each block is compared with the one before it only, in one pass.
///
/// The previous block is copied (its key, side and payload), since the sorter's bytes are valid
/// only during its call; two blocks of one side under one key are a duplicate key.
struct DiffMerge {
    let columns: DiffColumns
    let oldPath: String
    let newPath: String
    var summary: DiffSummary
    private var changedCounts: [Int]
    private var previousKey: [UInt8] = []
    private var previousPayload: [UInt8] = []
    private var previousSide: UInt8 = 0
    private var hasPrevious = false
    private var previousMatched = false
    private var previousRow = DiffRow()
    private var currentRow = DiffRow()

    init(columns: DiffColumns, key: [String], oldPath: String, newPath: String) {
        self.columns = columns
        self.oldPath = oldPath
        self.newPath = newPath
        summary = DiffSummary(key: key)
        summary.columnsAdded = columns.added
        summary.columnsRemoved = columns.removed
        changedCounts = [Int](repeating: 0, count: columns.shared.count)
    }

    /// Takes the next block in key order.
    mutating func take(
        key: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer, difference: (RowDifference) throws -> Void
    ) throws {
        let side = key[key.count - 1]
        currentRow.decode(payload)
        if hasPrevious && DiffKey.sameKey(key, previousKey) {
            if previousSide == side { throw duplicate(side: side) }
            try previousPayload.withUnsafeBytes { try compare(old: $0, new: payload, difference) }
            previousMatched = true
        } else {
            try flushUnmatched(difference)
            previousMatched = false
        }
        previousKey.removeAll(keepingCapacity: true)
        previousKey.append(contentsOf: key)
        previousPayload.removeAll(keepingCapacity: true)
        previousPayload.append(contentsOf: payload)
        previousSide = side
        swap(&previousRow, &currentRow)
        hasPrevious = true
    }

    /// Ends the walk: the last block, if unmatched, and the per-column counts.
    mutating func finish(_ difference: (RowDifference) throws -> Void) throws -> DiffSummary {
        try flushUnmatched(difference)
        hasPrevious = false
        summary.changedColumns = zip(columns.shared, changedCounts).compactMap { column, rows in
            rows > 0 ? DiffSummary.ColumnChanges(column: column.name, rows: rows) : nil
        }
        return summary
    }

    /// The previous block had no partner: a removed (old) or added (new) row.
    private mutating func flushUnmatched(_ difference: (RowDifference) throws -> Void) throws {
        guard hasPrevious, !previousMatched else { return }
        let isOld = previousSide == DiffKey.oldSide
        if isOld { summary.removed += 1 } else { summary.added += 1 }
        let names = isOld ? columns.oldNames : columns.newNames
        let keyPositions = isOld ? columns.oldKey : columns.newKey
        try previousPayload.withUnsafeBytes { payload in
            let row = names.enumerated().map { (field: $1, value: previousRow.value($0, in: payload)) }
            try difference(
                RowDifference(
                    operation: isOld ? .removed : .added, key: keyPositions.map { row[$0] }, row: row, changes: []))
        }
    }

    /// A key's old and new rows: changed when a shared column's text differs.
    private mutating func compare(
        old: UnsafeRawBufferPointer, new: UnsafeRawBufferPointer, _ difference: (RowDifference) throws -> Void
    ) throws {
        var changes: [RowDifference.Change] = []
        for (index, column) in columns.shared.enumerated()
        where !DiffRow.equal(previousRow.bytes(column.old, in: old), currentRow.bytes(column.new, in: new)) {
            changedCounts[index] += 1
            changes.append(
                RowDifference.Change(
                    column: column.name, old: previousRow.value(column.old, in: old),
                    new: currentRow.value(column.new, in: new)))
        }
        guard !changes.isEmpty else {
            summary.unchanged += 1
            return
        }
        summary.changed += 1
        let key = columns.newKey.map { (field: columns.newNames[$0], value: currentRow.value($0, in: new)) }
        try difference(RowDifference(operation: .changed, key: key, row: [], changes: changes))
    }

    /// Two rows of one side under one key: a data error naming the side, the key and both places.
    private func duplicate(side: UInt8) -> PublicaError {
        let isOld = side == DiffKey.oldSide
        let path = isOld ? oldPath : newPath
        let positions = isOld ? columns.oldKey : columns.newKey
        let names = isOld ? columns.oldNames : columns.newNames
        let keyText = previousPayload.withUnsafeBytes { payload in
            positions.map { "\(names[$0])=\(previousRow.value($0, in: payload).textValue ?? "")" }
                .joined(separator: ", ")
        }
        return PublicaError(
            .data,
            "duplicate key (\(keyText)) in \(isOld ? "OLD" : "NEW") \(path): record \(previousRow.record) "
                + "(line \(previousRow.line)) and record \(currentRow.record) (line \(currentRow.line)); "
                + "the key must be unique on each side",
            at: SourceLocation(file: path, line: currentRow.line))
    }
}
