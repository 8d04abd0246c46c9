import PublicaCore
import PublicaValidation

/// A `cast` or `validate` step's unique values and primary keys once they outgrew its share of
/// the memory budget: the keys seen so far, marked as seen, then every later record's keys and
/// the record itself, held in input order, until the end decides.
///
/// At the end the keys are sorted (each key's mark first, then its records in input order): a
/// record whose key comes after the mark or after an earlier record's is told so, and the
/// records are checked again, in input order, with those answers: the same verdicts and
/// messages as in memory. A class, so the spill files go with it on every exit path.
final class UniqueKeySpill {
    /// Keys (prefix-free, ``KeyMemory``), each followed by a mark (0 seen before the spill, 1 a
    /// held record's) and the record's position.
    private let keys: ExternalSorter
    /// By position: a record's repeated keys (kind 0), then the record (kind 1).
    private let records: ExternalSorter
    private let held = HeldRecords()
    private var sequence: UInt64 = 0
    private var block: [UInt8] = []
    /// Keys the memory held when it spilled.
    private(set) var spilledKeys = 0

    /// Takes every key `memory` holds (which then collects each record's keys instead), half the
    /// budget for them and half for the records that follow.
    init(budget: MemoryBudget, memory: inout KeyMemory) throws {
        let half = MemoryBudget(bytes: budget.bytes / 2, folder: budget.folder)
        keys = ExternalSorter(budget: half)
        records = ExternalSorter(budget: half)
        var count = 0
        try memory.spill { key in
            try add(key, mark: 0, position: 0)
            count += 1
        }
        spilledKeys = count
    }

    /// Holds a record from the fast path with the keys its check collected.
    func hold(raw record: RawRecord, keys recordKeys: [KeyMemory.RecordKey]) throws {
        try hold(held.payload(raw: record), recordKeys)
    }

    /// Holds a record with the keys its check collected.
    func hold(_ record: Record, keys recordKeys: [KeyMemory.RecordKey]) throws {
        try hold(held.payload(record), recordKeys)
    }

    private func hold(_ payload: [UInt8], _ recordKeys: [KeyMemory.RecordKey]) throws {
        sequence += 1
        for recordKey in recordKeys {
            try recordKey.key.withUnsafeBufferPointer { try add($0, mark: 1, position: sequence) }
        }
        block.removeAll(keepingCapacity: true)
        block.appendBigEndian(sequence)
        block.append(1)
        try records.add(key: block, payload: payload)
    }

    private func add(_ key: UnsafeBufferPointer<UInt8>, mark: UInt8, position: UInt64) throws {
        block.removeAll(keepingCapacity: true)
        block += key
        block.append(mark)
        block.appendBigEndian(position)
        try keys.add(key: block, payload: [])
    }

    /// Gives each held record, in input order, to `check` (as bytes or as a record, valid during
    /// the call) with its keys that an earlier record had, encoded.
    func finish(
        raw: (RawRecord, [[UInt8]]) throws -> Void, record: (Record, [[UInt8]]) throws -> Void
    ) throws {
        try findRepeats()
        var repeated: [[UInt8]] = []
        try records.finish { key, payload in
            guard key[8] == 1 else {
                repeated.append(Array(key[9...]))
                return
            }
            defer { repeated.removeAll(keepingCapacity: true) }
            try held.read(payload, raw: { try raw($0, repeated) }, record: { try record($0, repeated) })
        }
    }

    /// Every held key after the first occurrence of its key (its mark, or an earlier record)
    /// goes to ``records``, before its record.
    private func findRepeats() throws {
        var current: [UInt8] = []
        var started = false
        try keys.finish { block, _ in
            let key = UnsafeRawBufferPointer(rebasing: block[..<(block.count - 9)])
            let position = block[(block.count - 8)...].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if started && current.elementsEqual(key) {
                var entry: [UInt8] = []
                entry.appendBigEndian(position)
                entry.append(0)
                entry += key
                try records.add(key: entry, payload: [])
                return
            }
            started = true
            current.removeAll(keepingCapacity: true)
            current += key
        }
    }
}
