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
        guard let fast = rawCheck, let buffers = rawBuffers else { return nil }
        let fields = record.fields
        var needed = 0
        for (index, source) in sourceIndices.enumerated() {
            guard source < fields.count else { return nil }
            let field = fields[source]
            if field.encoding.isTyped || (field.encoding == .doubledQuotes && !fast.cells[index].typesDoubledQuotes) { return nil }
            buffers.fields[index] = field
            needed &+= CanonicalNumber.bound(field.count)
        }
        let ordered = RawRecord(fields: UnsafeBufferPointer(buffers.fields), provenance: record.provenance)
        guard fast.isValid(ordered, unique: &state.unique) else { return nil }
        var scratch = buffers.scratch(needed)
        for index in 0..<buffers.fields.count {
            if converting {
                fast.cells[index].type(&buffers.fields[index], scratch: &scratch)
            } else if fast.cells[index].isMissingValue(buffers.fields[index]) {
                buffers.fields[index] = .null
            }
        }
        return ordered
    }
}

/// The fast path's own memory: the typed fields of one record and the bytes of their
/// canonical forms, reused record after record.
final class RawCastBuffers {
    let fields: UnsafeMutableBufferPointer<RawRecord.Field>
    private var bytes: UnsafeMutablePointer<UInt8>
    private var capacity: Int

    init(fieldCount: Int) {
        fields = .allocate(capacity: fieldCount)
        fields.initialize(repeating: .null)
        capacity = 4096
        bytes = .allocate(capacity: capacity)
    }

    /// Room for `count` bytes of canonical text.
    func scratch(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        if count > capacity {
            bytes.deallocate()
            capacity = max(count, capacity * 2)
            bytes = .allocate(capacity: capacity)
        }
        return bytes
    }

    deinit {
        fields.deallocate()
        bytes.deallocate()
    }
}
