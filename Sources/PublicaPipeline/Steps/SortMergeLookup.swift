import PublicaCore

/// A stream's records held against a lookup side that spilled (``SortedSide``), and decided at
/// the end: the records, with their key and input position, go into an external sort by key;
/// at ``finish(decide:raw:records:rejected:)`` they are merged with the side's run (one pass
/// over each), each record's outcome goes into a second sort by input position, and the
/// records come out in input order, as they would have passed in memory.
final class SortMergeLookup {
    /// What becomes of a held record, once its match (or none) is known.
    enum Decision {
        /// Written as it was held.
        case keep
        /// Written as this payload instead (made by ``held``).
        case replace([UInt8])
        /// Rejected: the step words the rejection from the record, at the end.
        case reject
        /// Left out on purpose; counted in ``dropped``.
        case drop
    }

    let side: SortedSide
    /// The held records' payloads: a step makes a replacing payload through it.
    let held = HeldRecords()
    private let budget: MemoryBudget
    private let byKey: ExternalSorter
    private var sequence: UInt64 = 0
    private var block: [UInt8] = []
    /// Records dropped at the end.
    private(set) var dropped = 0

    /// Half of `budget` sorts the held records by key; the other half, at the end, puts them
    /// back in input order while the first is merged.
    init(side: SortedSide, budget: MemoryBudget) {
        self.side = side
        self.budget = MemoryBudget(bytes: max(budget.bytes / 2, 16 << 10), folder: budget.folder)
        byKey = ExternalSorter(budget: self.budget)
    }

    /// Holds a record from the fast path under `key` (empty: it matches nothing).
    func hold(key: [UInt8], raw record: RawRecord) throws { try add(key, held.payload(raw: record)) }

    /// Holds a record under `key` (empty: it matches nothing).
    func hold(key: [UInt8], record: Record) throws { try add(key, held.payload(record)) }

    private func add(_ key: [UInt8], _ payload: [UInt8]) throws {
        sequence += 1
        block.removeAll(keepingCapacity: true)
        block.appendBigEndian(sequence)
        block += payload
        try byKey.add(key: key, payload: block)
    }

    /// Merges the held records with the side: `decide` gets each one's key, payload and the
    /// side's payload for its key (nil for none); then the kept ones go to `raw` or `records`
    /// and the rejected ones to `rejected`, all in input order.
    func finish(
        decide: (_ key: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer, _ match: UnsafeRawBufferPointer?)
            throws -> Decision,
        raw: (RawRecord) throws -> Void, records: (Record) throws -> Void, rejected: (Record) throws -> Void
    ) throws {
        defer { side.release() }
        // Finished once: a second finish would find the side released and its records gone.
        guard let right = side.reader() else {
            throw PublicaError(.internal, "a join or foreign key finished twice; its held records were given already")
        }
        let ordered = ExternalSorter(budget: budget)
        var head = try right.next()
        var tagged: [UInt8] = []
        try byKey.finish { key, block in
            while let current = head, BlockArena.compare(current.key, key) < 0 { head = try right.next() }
            let match = head.flatMap { BlockArena.compare($0.key, key) == 0 ? $0.payload : nil }
            let payload = UnsafeRawBufferPointer(rebasing: block[8...])
            let decision = try decide(key, payload, match)
            tagged.removeAll(keepingCapacity: true)
            switch decision {
            case .keep: tagged.append(0); tagged.append(contentsOf: payload)
            case .replace(let replacement): tagged.append(0); tagged += replacement
            case .reject: tagged.append(1); tagged.append(contentsOf: payload)
            case .drop:
                dropped += 1
                return
            }
            try tagged.withUnsafeBytes {
                try ordered.add(key: UnsafeRawBufferPointer(rebasing: block[..<8]), payload: $0)
            }
        }
        try ordered.finish { _, payload in
            let rest = UnsafeRawBufferPointer(rebasing: payload[1...])
            if payload[0] == 0 {
                try held.read(rest, raw: raw, record: records)
            } else {
                try held.read(rest, raw: { try rejected($0.makeRecord()) }, record: rejected)
            }
        }
    }
}
