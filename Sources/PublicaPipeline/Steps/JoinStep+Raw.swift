import PublicaCore
import PublicaJSON

extension JoinStep {
    /// The join on the bytes: the key read from the reader's buffer, the matching record's taken
    /// fields appended as bytes the step keeps. Nil (the record path decides) for a short
    /// record, a rejection, or a right side with values that have no raw form.
    public mutating func process(raw record: RawRecord) throws -> RawStepResult? {
        guard let side = rawSide, leftPositions.allSatisfy({ $0 < record.fields.count }) else { return nil }
        keyBytes.removeAll(keepingCapacity: true)
        var complete = true
        for position in leftPositions {
            let field = record.fields[position]
            if field.encoding == .null || field.count == 0 { complete = false }
            if field.encoding == .doubledQuotes {
                RawJoinSide.appendPart(Array(field.stringValue.utf8), to: &keyBytes)
            } else {
                RawJoinSide.appendPart(UnsafeBufferPointer(start: field.start, count: field.count), to: &keyBytes)
            }
        }
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

/// A join's right side as bytes: its keys in a ``ByteKeyIndex``, and each record's taken values
/// as raw fields over bytes this object owns (typed values in their canonical form, as a
/// `cast`'s fast path writes them).
final class RawJoinSide {
    let index: ByteKeyIndex
    /// `takenCount` fields per right record, record after record.
    let fields: [RawRecord.Field]
    let takenCount: Int
    private let storage: UnsafeMutableBufferPointer<UInt8>

    /// Nil when some taken value has no raw form (a time, a list, a year-month date).
    init?(table: LookupTable, key: [String], taken: [Int]) {
        guard let keyPositions = try? table.schema.positions(of: key, for: "join") else { return nil }
        var encoded: [(bytes: [UInt8], encoding: RawRecord.Encoding)] = []
        var index = ByteKeyIndex(capacity: table.records.count)
        for (number, record) in table.records.enumerated() {
            var keyBytes: [UInt8] = []
            for value in LookupTable.key(record, keyPositions) {
                RawJoinSide.appendPart(Array(value.utf8), to: &keyBytes)
            }
            index.insert(keyBytes, value: number)
            for position in taken {
                guard let raw = RawJoinSide.raw(position < record.values.count ? record.values[position] : .null)
                else { return nil }
                encoded.append(raw)
            }
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
        takenCount = taken.count
    }

    deinit { storage.deallocate() }

    /// A key part, length first, so `a`+`bc` and `ab`+`c` are different keys.
    static func appendPart(_ bytes: UnsafeBufferPointer<UInt8>, to key: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { key.append(contentsOf: $0) }
        key.append(contentsOf: bytes)
    }

    /// ``appendPart(_:to:)`` for bytes in an array.
    static func appendPart(_ bytes: [UInt8], to key: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { appendPart($0, to: &key) }
    }

    /// A value's raw form: text as it is, typed values as canonical text with their encoding.
    private static func raw(_ value: FieldValue) -> (bytes: [UInt8], encoding: RawRecord.Encoding)? {
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
