import PublicaCore
import PublicaJSON

extension JoinStep {
    /// The join on the bytes: the key read from the reader's buffer, the matching record's taken
    /// fields appended as bytes the step keeps (past the budget, the record held as bytes). Nil
    /// (the record path decides) for a short record, a rejection, or a right side with values
    /// that have no raw form.
    public mutating func process(raw record: RawRecord) throws -> RawStepResult? {
        guard rawSide != nil || spilled != nil, leftPositions.allSatisfy({ $0 < record.fields.count }) else {
            return nil
        }
        keyBytes.removeAll(keepingCapacity: true)
        var complete = true
        for position in leftPositions {
            let field = record.fields[position]
            if field.encoding == .null || field.count == 0 { complete = false }
            if field.encoding == .doubledQuotes {
                LookupKey.appendPart(Array(field.stringValue.utf8), to: &keyBytes)
            } else {
                LookupKey.appendPart(UnsafeBufferPointer(start: field.start, count: field.count), to: &keyBytes)
            }
        }
        if let spilled {
            guard complete || unmatched != .drop else { return .drop }
            try spilled.hold(key: complete ? keyBytes : [], raw: record)
            return .held
        }
        guard let side = rawSide else { return nil }
        let match = complete ? keyBytes.withUnsafeBufferPointer(side.index.value(for:)) : nil
        if match == nil {
            switch unmatched {
            case .drop: return .drop
            case .reject: return nil
            case .null: break
            }
        }
        let count = record.fields.count
        let joined = buffer.fields(count + side.takenCount)
        for index in 0..<count { joined[index] = record.fields[index] }
        for index in 0..<side.takenCount {
            joined[count + index] = match.map { side.fields[$0 * side.takenCount + index] } ?? .null
        }
        return .keep(RawRecord(fields: UnsafeBufferPointer(joined), place: record.place))
    }
}

/// A join's right side as bytes: its keys in a ``ByteKeyTable``, and each record's taken values
/// as raw fields over bytes this object owns (typed values in their canonical form, as a
/// `cast`'s fast path writes them).
final class RawJoinSide {
    let index: ByteKeyTable
    /// `takenCount` fields per right record, record after record.
    let fields: [RawRecord.Field]
    let takenCount: Int
    private let storage: UnsafeMutableBufferPointer<UInt8>

    /// The side of `index`, each entry's `width` taken values in `values`; nil when some has no
    /// raw form (a time, a list, a year-month date).
    init?(index: ByteKeyTable, values: [FieldValue], width: Int) {
        var encoded: [(bytes: [UInt8], encoding: RawRecord.Encoding)] = []
        encoded.reserveCapacity(values.count)
        for value in values {
            guard let raw = RawJoinSide.raw(value) else { return nil }
            encoded.append(raw)
        }
        let total = encoded.reduce(0) { $0 + $1.bytes.count }
        storage = .allocate(capacity: max(total, 1))
        var offset = 0
        var fields: [RawRecord.Field] = []
        fields.reserveCapacity(encoded.count)
        for (bytes, encoding) in encoded {
            guard encoding != .null else {
                fields.append(.null)
                continue
            }
            let start = storage.baseAddress! + offset
            bytes.withUnsafeBufferPointer { start.update(from: $0.baseAddress!, count: $0.count) }
            fields.append(RawRecord.Field(start: UnsafePointer(start), count: bytes.count, encoding: encoding))
            offset += bytes.count
        }
        self.index = index
        self.fields = fields
        takenCount = width
    }

    deinit { storage.deallocate() }

    /// A value's raw form: text as it is, typed values as canonical text with their encoding.
    static func raw(_ value: FieldValue) -> (bytes: [UInt8], encoding: RawRecord.Encoding)? {
        switch value {
        case .null: return ([], .null)
        case .text(let text): return text.isEmpty ? ([], .plain) : (Array(text.utf8), .plain)
        case .integer(let number): return (Array(String(number).utf8), .integer)
        case .decimal(let number): return (Array(number.description.utf8), .decimal)
        case .boolean(let flag): return (Array((flag ? "true" : "false").utf8), .boolean)
        case .date(let date) where date.precision == .day: return (Array(date.description.utf8), .date)
        default: return nil
        }
    }
}
