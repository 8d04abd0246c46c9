import PublicaCore

/// What the `unique` fields and the primary key remember across records, as bytes, so its
/// memory is counted (``estimatedBytes``) and can be spilled when it passes a budget.
///
/// Three modes. ``Mode-swift.enum/remembering``: every key is kept, and a repeated one is
/// found at once. Past a budget the keys leave (``spill(_:)``) and the mode is
/// ``Mode-swift.enum/collecting``: each record's keys are gathered (``recordKeys``) and
/// answered as new, for the caller to decide at the end. Then
/// ``Mode-swift.enum/answering`` checks each record again with what the end found: which of
/// its keys an earlier record had (``answer(duplicates:)``). In every mode, a second check of
/// the same record (``beginCheck(again:)``, after `on_error: null` nulled a field) gets the answers
/// its first check got: its own keys are not repeats of themselves.
public struct KeyMemory {
    /// How keys are answered; see ``KeyMemory``.
    public enum Mode: Sendable { case remembering, collecting, answering }

    /// One of the record's keys, encoded (``encode(field:_:)``), with the cell it was read
    /// from (empty for a primary key).
    public struct RecordKey {
        /// The key's bytes: which constraint, then its value; prefix-free.
        public var key: [UInt8]
        /// The cell's text, as the record had it.
        public var cell: String
    }

    /// How keys are answered now.
    public private(set) var mode = Mode.remembering
    private var unique: [UniqueValues]
    private var primaryKeys = ByteKeyTable()
    /// The memory the kept keys hold, roughly; 0 once they spilled.
    public private(set) var estimatedBytes = 0
    /// The keys of the record at hand, each once, in the order checked (not remembering).
    public private(set) var recordKeys: [RecordKey] = []
    /// Answering: the record's keys an earlier record had.
    private var duplicates: [[UInt8]] = []
    /// Reused for each primary key's bytes.
    private var scratch: [UInt8] = []
    /// While a caster checks a record the first time (``beginCheck(again:)``): what each of
    /// its keys got, by field (-1 for the primary key), for a second check to get the same.
    private var firstAnswers: [(field: Int, new: Bool)] = []
    private var recording = false
    private var rechecking = false

    init(fields: Int) { unique = Array(repeating: UniqueValues(), count: fields) }

    /// Whether field `field` has had `key` (remembering), or the record at hand has (otherwise).
    func contains(field: Int, _ key: UniqueKey) -> Bool {
        guard mode == .remembering else {
            let encoded = KeyMemory.encode(field: field, key)
            return recordKeys.contains { $0.key == encoded } || duplicates.contains(encoded)
        }
        return unique[field].contains(key)
    }

    /// Remembers `key` for field `field`, read from `cell`; false when it is not new.
    mutating func insert(field: Int, _ key: UniqueKey, cell: @autoclosure () -> String) -> Bool {
        if let answer = firstAnswer(field) { return answer }
        guard mode == .remembering else {
            return record(field, insertInRecord(KeyMemory.encode(field: field, key), cell: cell()))
        }
        let before = unique[field].estimatedBytes
        let inserted = unique[field].insert(key)
        estimatedBytes += unique[field].estimatedBytes - before
        return record(field, inserted)
    }

    /// Starts a caster's check of a record: the first (its keys' answers noted), or `again`
    /// (the same record, a field nulled: each key gets the answer it got the first time).
    public mutating func beginCheck(again: Bool) {
        if again {
            rechecking = true
        } else {
            firstAnswers.removeAll(keepingCapacity: true)
            recording = true
        }
    }

    /// Ends the check ``beginCheck(again:)`` started.
    public mutating func endCheck() {
        recording = false
        rechecking = false
    }

    private func firstAnswer(_ field: Int) -> Bool? {
        guard rechecking else { return nil }
        return firstAnswers.first { $0.field == field }?.new
    }

    private mutating func record(_ field: Int, _ new: Bool) -> Bool {
        if recording && !rechecking { firstAnswers.append((field, new)) }
        return new
    }

    /// Remembers a primary key of these texts (a null value as empty text); false when it is not new.
    mutating func insertPrimaryKey(_ values: some Sequence<String>) -> Bool {
        if let answer = firstAnswer(-1) { return answer }
        return record(-1, insertPrimaryKeyBytes(values))
    }

    private mutating func insertPrimaryKeyBytes(_ values: some Sequence<String>) -> Bool {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(KeyMemory.primaryKeyTag)
        for var value in values {
            value.withUTF8 { KeyMemory.appendLengthAndBytes($0, to: &scratch) }
        }
        guard mode == .remembering else { return insertInRecord(scratch, cell: "") }
        let before = primaryKeys.estimatedBytes
        let inserted = scratch.withUnsafeBufferPointer { primaryKeys.insert($0) }
        estimatedBytes += primaryKeys.estimatedBytes - before
        return inserted
    }

    private mutating func insertInRecord(_ key: [UInt8], cell: String) -> Bool {
        if recordKeys.contains(where: { $0.key == key }) { return false }
        recordKeys.append(RecordKey(key: key, cell: cell))
        return mode == .collecting || !duplicates.contains(key)
    }

    /// Starts a record: its keys are gathered afresh (not remembering).
    public mutating func beginRecord() {
        recordKeys.removeAll(keepingCapacity: true)
        duplicates.removeAll(keepingCapacity: true)
    }

    /// Gives every key kept to `body`, encoded, and from then on collects each record's keys
    /// (``Mode-swift.enum/collecting``), holding none.
    public mutating func spill(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        for field in unique.indices {
            try unique[field].forEach { key in
                try KeyMemory.encode(field: field, key).withUnsafeBufferPointer(body)
            }
        }
        try primaryKeys.forEach { key, _ in try body(key) }
        unique = Array(repeating: UniqueValues(), count: unique.count)
        primaryKeys = ByteKeyTable()
        estimatedBytes = 0
        mode = .collecting
        beginRecord()
    }

    /// Checks the next record again knowing which of its keys an earlier record had
    /// (``Mode-swift.enum/answering``); call before each record's check.
    public mutating func answer(duplicates: [[UInt8]]) {
        mode = .answering
        beginRecord()
        self.duplicates = duplicates
    }

    /// Collects each record's keys again, answering them as new.
    public mutating func collect() {
        mode = .collecting
        beginRecord()
    }

    // MARK: - Encoding

    private static let uniqueTag: UInt8 = 0
    private static let primaryKeyTag: UInt8 = 1

    /// A unique field's key as bytes no other key starts with: tag 0, the field's position (4
    /// bytes), then 0 and the integer (8 bytes), or 1 and the text's length (4 bytes) and bytes.
    /// A primary key is tag 1, then each value's length and bytes.
    static func encode(field: Int, _ key: UniqueKey) -> [UInt8] {
        var bytes: [UInt8] = [uniqueTag]
        appendBigEndian(UInt32(truncatingIfNeeded: field), to: &bytes)
        switch key {
        case .integer(let value):
            bytes.append(0)
            let bits = UInt64(bitPattern: value)
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: bits >> shift)) }
        case .text(let text):
            bytes.append(1)
            appendLengthAndBytes(text, to: &bytes)
        }
        return bytes
    }

    /// The schema field a unique key is for; nil for a primary key.
    public static func field(of key: UnsafeRawBufferPointer) -> Int? {
        guard key.count >= 5, key[0] == uniqueTag else { return nil }
        return (1..<5).reduce(0) { $0 << 8 | Int(key[$1]) }
    }

    private static func appendLengthAndBytes(_ text: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        appendBigEndian(UInt32(truncatingIfNeeded: text.count), to: &bytes)
        bytes.append(contentsOf: text)
    }

    private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }
}
