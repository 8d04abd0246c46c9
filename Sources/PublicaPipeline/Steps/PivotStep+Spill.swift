import PublicaCore

/// A pivot past half its budget: each record that follows is held in an external sort, keyed by
/// its index values (their canonical bytes, equal exactly when the values are), its column and
/// its input position, so at the end each row's records come together, a column's first record
/// before its later ones. A row already in memory takes its cells there; a row first seen after
/// the spill is made from its records and put in first-appearance order by a second sort. A
/// column's second value is a duplicate, rejected in input order by a third.
extension PivotStep {
    /// The row being put together from the held records of one index.
    private struct Gathered {
        var key: [UInt8]
        /// The row in memory with this index, if there is one.
        var memoryRow: Int?
        /// Otherwise the row made here, and the input position of its first record.
        var row: Row?
        var first: UInt64
    }

    func hold(_ record: Record, column: Int, in held: ExternalSorter) throws {
        state.key.bytes.removeAll(keepingCapacity: true)
        for position in positions.index { state.key.value(field(record, position)) }
        state.key.bytes.appendBigEndian32(UInt32(column))
        state.key.bytes.appendBigEndian(state.sequence)
        state.sequence += 1
        state.spilledRecords += 1
        try held.add(key: state.key.bytes, payload: state.records.payload(record))
    }

    /// Puts the held records into their rows; returns the rows first seen among them, by first
    /// appearance, after rejecting (or failing on) the duplicates.
    func merge(_ held: ExternalSorter, rejects: (Rejection) throws -> Void) throws -> ExternalSorter {
        let share = MemoryBudget(bytes: budget.bytes / 8, folder: budget.folder)
        let later = ExternalSorter(budget: share)
        let duplicates = ExternalSorter(budget: share)
        var gathered: Gathered?
        try held.finish { key, payload in
            let record = try read(payload)
            let tail = key.count - 12
            let column = Int(key.loadBigEndian32(at: tail))
            let sequence = key.loadBigEndian64(at: tail + 4)
            let indexKey = UnsafeRawBufferPointer(rebasing: key[..<tail])
            if gathered.map({ !$0.key.elementsEqual(indexKey) }) ?? true {
                try gathered.map { try add($0, to: later) }
                gathered = start(Array(indexKey), record, sequence)
            }
            let earlier = gathered!.memoryRow.map { state.rows[$0].places[column] } ?? gathered!.row!.places[column]
            if let earlier {
                var key: [UInt8] = []
                key.appendBigEndian(sequence)
                key.appendBigEndian32(UInt32(column))
                key += Array("\(earlier.location())".utf8)
                try duplicates.add(key: key, payload: Array(payload))
            } else {
                place(field(record, positions.value), record.provenance, column, sequence, in: &gathered!)
            }
        }
        try gathered.map { try add($0, to: later) }
        try duplicates.finish { key, payload in
            let column = Int(key.loadBigEndian32(at: 8))
            let earlier = String(decoding: key[12...], as: UTF8.self)
            let record = try read(payload)
            let message =
                "pivot: a second value for column '\(columns[column])' of the same row (the first at \(earlier))"
            if onError == .fail { throw PublicaError(.data, message, at: record.provenance.location(field: self.key)) }
            try rejects(rejection(record, rule: "pivot-duplicate", message))
        }
        return later
    }

    private func start(_ key: [UInt8], _ record: Record, _ sequence: UInt64) -> Gathered {
        let index = positions.index.map { field(record, $0) }
        if let row = state.rowOf[index] { return Gathered(key: key, memoryRow: row, row: nil, first: 0) }
        let empty = Array(repeating: nil as FieldValue?, count: columns.count)
        let row = Row(
            index: index, cells: empty, places: Array(repeating: nil, count: columns.count), first: record.provenance)
        return Gathered(key: key, memoryRow: nil, row: row, first: sequence)
    }

    private func place(
        _ cell: FieldValue, _ from: Provenance, _ column: Int, _ sequence: UInt64, in row: inout Gathered
    ) {
        if let memoryRow = row.memoryRow {
            state.rows[memoryRow].cells[column] = cell
            state.rows[memoryRow].places[column] = from
            return
        }
        row.row!.cells[column] = cell
        row.row!.places[column] = from
        // A column's first record is always placed, so the row's first record is among these.
        if sequence < row.first {
            row.first = sequence
            row.row!.first = from
        }
    }

    /// A row made of held records, to the sort that puts such rows in first-appearance order.
    private func add(_ gathered: Gathered, to later: ExternalSorter) throws {
        guard let row = gathered.row else { return }
        var key: [UInt8] = []
        key.appendBigEndian(gathered.first)
        let made = Record(values: row.index + row.cells.map { $0 ?? .null }, provenance: row.first)
        try later.add(key: key, payload: state.records.payload(made))
    }

    private func read(_ payload: UnsafeRawBufferPointer) throws -> Record {
        var record: Record?
        try state.records.read(payload, raw: { _ in throw RecordSpill.corrupt }, record: { record = $0 })
        guard let record else { throw RecordSpill.corrupt }
        return record
    }
}

extension [UInt8] {
    /// `number`'s four bytes, most significant first.
    mutating func appendBigEndian32(_ number: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { append(UInt8(truncatingIfNeeded: number >> shift)) }
    }
}

extension UnsafeRawBufferPointer {
    /// Four bytes at `offset`, most significant first.
    func loadBigEndian32(at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 << 8 | UInt32(self[offset + $1]) }
    }

    /// Eight bytes at `offset`, most significant first.
    func loadBigEndian64(at offset: Int) -> UInt64 {
        (0..<8).reduce(0) { $0 << 8 | UInt64(self[offset + $1]) }
    }
}
