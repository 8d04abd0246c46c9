import PublicaCore

/// `dedupe: {key: [id]}`: keeps the first record of each key.
///
/// The keys seen are remembered as bytes, and records pass at once, until the keys outgrow the
/// step's memory budget. Then the keys go to a spill file and the records that follow are held
/// (as bytes, like a sort's) with their key and input position; at the end an external sort
/// brings each key's records together, after the key's mark if it was seen before the spill, so
/// the first of each unseen key is kept, and those come out in input order. The output is the
/// in-memory one: the first record of each key, in input order.
public struct DedupeStep: SpillingStep {
    /// Reported as `dedupe`.
    public let name = "dedupe"
    /// The fields whose values together identify a record, compared as text (null as empty text).
    public var key: [String]
    private var indices: [Int] = []
    private var budget = MemoryBudget()
    private var state = State()

    /// The step's memory, a class so the spill files go with it.
    private final class State {
        var seen = ByteKeyTable(capacity: 16)
        var key = SortKey()
        /// Past the budget: every key seen before, then the records held since, by key.
        var held: ExternalSorter?
        let records = HeldRecords()
        var sequence: UInt64 = 0
        var dropped = 0
        var spilledKeys = 0
    }

    /// A step keeping the first record of each `key`; the fields are looked up in ``prepare(_:)``.
    public init(key: [String]) { self.key = key }

    /// Takes the memory the keys may take before they spill, and where.
    public mutating func use(_ budget: MemoryBudget) { self.budget = budget }

    /// Keys written to a spill file when they outgrew the budget (0: they stayed in memory).
    public var spilledKeys: Int { state.spilledKeys }

    /// Later duplicates found at the end, among the records held after the spill.
    public var droppedWhenFinished: Int { state.dropped }

    /// Checks that every key field exists; the shape passes unchanged.
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        indices = try schema.positions(of: key, for: name)
        state = State()
        return schema
    }

    /// Keeps the first record of each key and drops the later ones (or holds it, past the budget).
    public mutating func process(_ record: Record) throws -> StepResult {
        state.key.reset()
        for index in indices {
            let text = index < record.values.count ? record.values[index].textValue ?? "" : ""
            state.key.append(.text(text), descending: false)
        }
        guard let held = state.held else { return try firstSeen() ? .keep(record) : .drop }
        try hold(held, state.records.payload(record))
        return .held
    }

    /// As ``process(_:)`` on the bytes, for keys of text (a typed key field is left to the record
    /// path, which spells its value as text).
    public mutating func process(raw record: RawRecord) throws -> RawStepResult? {
        state.key.reset()
        for index in indices {
            let field = index < record.fields.count ? record.fields[index] : .null
            guard !field.encoding.isTyped else { return nil }
            state.key.append(raw: field.encoding == .null ? .plainEmpty : field, descending: false)
        }
        guard let held = state.held else { return try firstSeen() ? .keep(record) : .drop }
        try hold(held, state.records.payload(raw: record))
        return .held
    }

    /// Whether the current key is new, remembering it; past the budget, the keys spill.
    private func firstSeen() throws -> Bool {
        guard state.seen.insert(state.key.bytes, value: 0) else { return false }
        // Half the share: the sorter the keys go into takes the other half while they are copied.
        if state.seen.estimatedBytes > budget.bytes / 2 { try spillKeys() }
        return true
    }

    /// The keys seen into the sorter, each marked as seen (input position 0, before any record).
    private func spillKeys() throws {
        let sorter = ExternalSorter(budget: MemoryBudget(bytes: budget.bytes / 2, folder: budget.folder))
        var key: [UInt8] = []
        try state.seen.forEach { bytes, _ in
            key.removeAll(keepingCapacity: true)
            key += bytes
            DedupeStep.appendMark(seen: true, sequence: 0, to: &key)
            try sorter.add(key: key, payload: [])
        }
        state.spilledKeys = state.seen.count
        state.seen = ByteKeyTable(capacity: 16)
        state.held = sorter
    }

    private func hold(_ sorter: ExternalSorter, _ payload: [UInt8]) throws {
        state.sequence += 1
        DedupeStep.appendMark(seen: false, sequence: state.sequence, to: &state.key.bytes)
        try sorter.add(key: state.key.bytes, payload: payload)
    }

    /// After the key (prefix-free): 0 for a key seen before the spill, 1 for a held record,
    /// then the input position, so a key's mark comes first and its records in input order.
    private static func appendMark(seen: Bool, sequence: UInt64, to key: inout [UInt8]) {
        key.append(seen ? 0 : 1)
        key.appendBigEndian(sequence)
    }

    /// Nothing held unless the keys spilled; then the first held record of each key not seen
    /// before, in input order.
    public mutating func finish(raw: (RawRecord) throws -> Void, records: (Record) throws -> Void) throws {
        guard let held = state.held else { return }
        state.held = nil
        let kept = ExternalSorter(budget: MemoryBudget(bytes: budget.bytes / 2, folder: budget.folder))
        var current: [UInt8]? = nil
        var keepsNext = false
        try held.finish { key, payload in
            let (dedupeKey, mark) = (key[..<(key.count - 9)], key[key.count - 9])
            if current.map({ !$0.elementsEqual(dedupeKey) }) ?? true {
                current = Array(dedupeKey)
                keepsNext = mark == 1
            }
            guard mark == 1 else { return }
            if keepsNext {
                keepsNext = false
                try kept.add(key: UnsafeRawBufferPointer(rebasing: key[(key.count - 8)...]), payload: payload)
            } else {
                state.dropped += 1
            }
        }
        try kept.finish { _, payload in try state.records.read(payload, raw: raw, record: records) }
    }

    /// Gives the records held, as records.
    public mutating func finish(_ emit: (Record) throws -> Void) throws {
        try finish(raw: { try emit($0.makeRecord()) }, records: emit)
    }
}

extension RawRecord.Field {
    /// Empty plain text: what a null key field is compared as.
    fileprivate static var plainEmpty: RawRecord.Field {
        RawRecord.Field(start: RawRecord.Field.null.start, count: 0, encoding: .plain)
    }
}
