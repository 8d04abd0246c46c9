import PublicaCore

extension JoinStep {
    /// Nothing held unless the right side spilled; then the held records merged with it, in
    /// input order: joined, or following ``unmatched`` (rejected ones to `rejects`, after the
    /// rejections made while the records streamed).
    public mutating func finish(
        raw: (RawRecord) throws -> Void, records: (Record) throws -> Void, rejects: (Rejection) throws -> Void
    ) throws {
        guard let spilled else { return }
        try spilled.finish(
            decide: { _, payload, match in
                guard let match else {
                    switch unmatched {
                    case .drop: return .drop
                    case .reject: return .reject
                    case .null: return .replace(try joined(payload, nil, in: spilled))
                    }
                }
                return .replace(try joined(payload, try takenValues(match, in: spilled.side), in: spilled))
            },
            raw: raw, records: records, rejected: { try rejects(rejection($0)) })
    }

    /// Gives the held records as records; one rejected at the end stops the run (there is
    /// nowhere here to put it): the engine calls ``finish(raw:records:rejects:)``.
    public mutating func finish(_ emit: (Record) throws -> Void) throws {
        try finishFailingOnRejects(emit)
    }

    /// The taken values a right-side payload holds.
    private func takenValues(_ payload: UnsafeRawBufferPointer, in side: SortedSide) throws -> [FieldValue] {
        var values: [FieldValue] = []
        try side.held.read(payload, raw: { _ in throw RecordSpill.corrupt }, record: { values = $0.values })
        return values
    }

    /// A held record's payload with `values` (nil: nulls) after its fields: as bytes for a record
    /// held as bytes whose values all have a raw form (what the fast path writes in memory), else
    /// as a record.
    private func joined(_ payload: UnsafeRawBufferPointer, _ values: [FieldValue]?, in lookup: SortMergeLookup)
        throws -> [UInt8]
    {
        let taken = values ?? Array(repeating: .null, count: takePositions.count)
        var result: [UInt8] = []
        try lookup.held.read(
            payload,
            raw: { record in
                let raws = taken.compactMap(RawJoinSide.raw)
                guard raws.count == taken.count else {
                    var made = record.makeRecord()
                    made.values += taken
                    result = lookup.held.payload(made)
                    return
                }
                result = joinedRaw(record, raws, in: lookup)
            },
            record: { record in
                var made = record
                made.values += taken
                result = lookup.held.payload(made)
            })
        return result
    }

    /// The bytes' payload: the record's fields, then the taken values' raw fields.
    private func joinedRaw(
        _ record: RawRecord, _ raws: [(bytes: [UInt8], encoding: RawRecord.Encoding)], in lookup: SortMergeLookup
    ) -> [UInt8] {
        let bytes = raws.flatMap(\.bytes)
        return bytes.withUnsafeBufferPointer { stored in
            let count = record.fields.count
            let fields = buffer.fields(count + raws.count)
            for index in 0..<count { fields[index] = record.fields[index] }
            var offset = 0
            for (index, raw) in raws.enumerated() {
                fields[count + index] =
                    raw.encoding == .null
                    ? .null
                    : RawRecord.Field(
                        start: stored.baseAddress.map { $0 + offset } ?? RawRecord.Field.null.start,
                        count: raw.bytes.count, encoding: raw.encoding)
                offset += raw.bytes.count
            }
            return lookup.held.payload(raw: RawRecord(fields: UnsafeBufferPointer(fields), place: record.place))
        }
    }
}
