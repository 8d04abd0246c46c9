import PublicaCore

/// A lookup side (a join's right side, a foreign key's referenced resource) read into a step:
/// its keys as bytes (``LookupKey``) with the values the step takes, in memory while they fit
/// the step's share of the budget, else sorted by key into a spill file for a sort-merge at the
/// end of the stream. Either way a key found twice is a data error naming both places.
enum KeyedSide {
    /// Every key in an index; the entry `n`'s taken values at `values[n * width ..< (n + 1) * width]`.
    case memory(index: ByteKeyTable, values: [FieldValue], width: Int)
    /// Past the share: every key, in key order, in one run.
    case sorted(SortedSide)

    /// Reads `table`'s records keyed by their fields at `key` (named `names`), keeping their
    /// fields at `taken`: in memory if they fit `budget`, else sorted.
    static func read(
        _ table: LookupTable, key: [Int], names: [String], taken: [Int], budget: MemoryBudget
    ) throws -> KeyedSide {
        if let side = try inMemory(table, key: key, names: names, taken: taken, budget: budget.bytes) {
            return side
        }
        return .sorted(try SortedSide(table, key: key, names: names, taken: taken, budget: budget))
    }

    /// Nil as soon as the keys and values pass `budget` bytes (what was read is let go, and
    /// the side is read again into the sort: simpler than moving the index into it, and it
    /// costs one reading of a share's worth).
    private static func inMemory(
        _ table: LookupTable, key positions: [Int], names: [String], taken: [Int], budget: Int
    ) throws -> KeyedSide? {
        var index = ByteKeyTable(capacity: 64)
        var values: [FieldValue] = []
        var valueBytes = 0
        var key: [UInt8] = []
        var number = 0
        var duplicate: (earlier: Int, later: Provenance, key: [UInt8])?
        var fits = true
        try table.forEach { record in
            LookupKey.make(record, positions, into: &key)
            guard index.insert(key, value: number) else {
                duplicate = (key.withUnsafeBufferPointer { index.value(for: $0) } ?? 0, record.provenance, key)
                return false
            }
            for position in taken {
                let value = position < record.values.count ? record.values[position] : .null
                // The value, and its bytes again as the fast path's raw field.
                valueBytes += RecordSpill.estimatedSize(value) + MemoryLayout<RawRecord.Field>.stride + 16
                values.append(value)
            }
            number += 1
            fits = index.estimatedBytes + valueBytes + values.capacity * MemoryLayout<FieldValue>.stride <= budget
            return fits
        }
        if let duplicate {
            let earlier = try table.provenance(ofRecord: duplicate.earlier) ?? duplicate.later
            throw LookupTable.duplicate(
                table.description, key: names, values: duplicate.key.withUnsafeBytes(LookupKey.texts),
                earlier: earlier, later: duplicate.later)
        }
        return fits ? .memory(index: index, values: values, width: taken.count) : nil
    }
}

/// A lookup side sorted by key into one run of a spill file: each block a key and, as a
/// ``HeldRecords`` payload, the taken values with the record's place. Stable, so a repeated
/// key's first record comes first and the error names the places in reading order.
final class SortedSide {
    /// Nil once merged: the file goes then, not with the step.
    private var run: SpillRun?
    /// What decodes the payloads (it numbers their sources).
    let held = HeldRecords()
    /// The reader's buffer.
    let bufferSize: Int
    /// The records sorted into the run.
    let count: Int

    init(_ table: LookupTable, key positions: [Int], names: [String], taken: [Int], budget: MemoryBudget) throws {
        bufferSize = min(max(budget.bytes / 8, 16 << 10), 1 << 20)
        let sorter = ExternalSorter(budget: budget)
        count = try SortedSide.add(table, key: positions, taken: taken, to: sorter, held: held)
        run = try SortedSide.write(
            sorter, into: SpillWriter(file: try SpillFile(in: budget.folder), bufferSize: bufferSize),
            checking: { key, earlier, later in
                LookupTable.duplicate(
                    table.description, key: names, values: LookupKey.texts(key), earlier: earlier, later: later)
            }, held: held)
    }

    /// Every record's key and taken values (with its place) into `sorter`; how many.
    private static func add(
        _ table: LookupTable, key positions: [Int], taken: [Int], to sorter: ExternalSorter, held: HeldRecords
    ) throws -> Int {
        var key: [UInt8] = []
        var number = 0
        try table.forEach { record in
            LookupKey.make(record, positions, into: &key)
            let values = taken.map { $0 < record.values.count ? record.values[$0] : .null }
            try sorter.add(key: key, payload: held.payload(Record(values: values, provenance: record.provenance)))
            number += 1
            return true
        }
        return number
    }

    /// The sorted blocks into one run. A key equal to the one before is a repeat; the error
    /// `duplicate` makes names the repeat read first (as the in-memory side does, which stops
    /// there), with the first record of its key.
    private static func write(
        _ sorter: ExternalSorter, into writer: SpillWriter,
        checking duplicate: (UnsafeRawBufferPointer, Provenance, Provenance) -> PublicaError, held: HeldRecords
    ) throws -> SpillRun {
        var writer = writer
        var (previousKey, firstPayload): ([UInt8]?, [UInt8]) = (nil, [])
        var first: (key: [UInt8], earlier: Provenance, later: Provenance)?
        try sorter.finish { key, payload in
            guard let previousKey, previousKey.elementsEqual(key) else {
                previousKey = Array(key)
                firstPayload.removeAll(keepingCapacity: true)
                firstPayload.append(contentsOf: payload)
                return try writer.write(key: key, payload: payload)
            }
            let later = try held.provenance(payload)
            if first.map({ SortedSide.readBefore(later, $0.later) }) ?? true {
                first = (Array(key), try firstPayload.withUnsafeBytes { try held.provenance($0) }, later)
            }
        }
        if let first { throw first.key.withUnsafeBytes { duplicate($0, first.earlier, first.later) } }
        return try writer.finish()
    }

    private static func readBefore(_ a: Provenance, _ b: Provenance) -> Bool {
        (a.recordNumber, a.line) < (b.recordNumber, b.line)
    }

    /// A reader of the run from its first key (none once ``release()`` was called).
    func reader() -> SpillReader? { run.map { SpillReader($0, bufferSize: bufferSize) } }

    /// Lets go of the run and its spill file.
    func release() { run = nil }
}

extension HeldRecords {
    /// The place of the record a payload holds.
    func provenance(_ payload: UnsafeRawBufferPointer) throws -> Provenance {
        var place: Provenance?
        try read(
            payload, raw: { place = $0.makeRecord().provenance }, record: { place = $0.provenance })
        guard let place else { throw RecordSpill.corrupt }
        return place
    }
}
