import PublicaCore

extension RecordCaster {
    /// The fast path of ``cast(_:)``: the record's bytes in schema order, typed in place
    /// (canonical numbers, `true`/`false`, ISO dates, null for missing values), when every cell
    /// is certainly valid. Nil when it cannot vouch for the record (an error, or a case the
    /// byte checks do not know): then nothing was remembered, and ``cast(_:)`` words the
    /// outcome. With `converting` false (the `validate` step) values keep their text.
    ///
    /// The result points into the record's buffer and the caster's own, until the next call.
    public mutating func cast(raw record: RawRecord, converting: Bool) -> RawRecord? {
        guard let raw = rawCast else { return nil }
        return raw._withUnsafeGuaranteedRef { $0.cast(record, keys: &state.keys, converting: converting) }
    }
}

/// The fast path's checks and memory: the typed fields of one record and the bytes of their
/// canonical forms, reused record after record.
final class RawCast {
    private let check: FastRowCheck
    private let sourceIndices: [Int]
    private let fields: UnsafeMutableBufferPointer<RawRecord.Field>
    private var bytes: UnsafeMutablePointer<UInt8>
    private var capacity = 4096

    init(check: FastRowCheck, sourceIndices: [Int]) {
        self.check = check
        self.sourceIndices = sourceIndices
        fields = .allocate(capacity: sourceIndices.count)
        fields.initialize(repeating: .null)
        bytes = .allocate(capacity: capacity)
    }

    deinit {
        fields.deallocate()
        bytes.deallocate()
    }

    func cast(_ record: RawRecord, keys: inout KeyMemory, converting: Bool) -> RawRecord? {
        let incoming = record.fields
        var needed = 0
        for index in 0..<sourceIndices.count {
            let source = sourceIndices[index]
            guard source < incoming.count else { return nil }
            let field = incoming[source]
            if field.encoding.isTyped { return nil }
            fields[index] = field
            needed &+= CanonicalNumber.bound(field.count)
        }
        guard check.cast(fields, scratch: scratch(needed), converting: converting, keys: &keys) else { return nil }
        return RawRecord(fields: UnsafeBufferPointer(fields), place: record.place)
    }

    /// Room for `count` bytes of canonical text.
    private func scratch(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        if count > capacity {
            bytes.deallocate()
            capacity = max(count, capacity * 2)
            bytes = .allocate(capacity: capacity)
        }
        return bytes
    }
}

extension RecordCaster {
    /// What the unique fields and the primary key remember (read it for its size and mode).
    public var keys: KeyMemory { state.keys }

    /// The memory the remembered keys hold, roughly (read without a copy of them).
    public var keyBytes: Int { state.keys.estimatedBytes }

    /// Changes what the unique fields and the primary key remember in place (spills it, starts
    /// a record, answers a record's keys), without a copy of the keys.
    public mutating func updateKeys<T>(_ body: (inout KeyMemory) throws -> T) rethrows -> T {
        try body(&state.keys)
    }
}
