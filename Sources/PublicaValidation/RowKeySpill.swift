import PublicaCore

/// A validation's unique values and primary keys once they outgrew its ``KeyBudget``: the keys
/// seen so far, marked as seen, then each later row's keys with its place, and the errors of
/// those rows, held until the end.
///
/// At the end the keys are sorted (each key's mark first, then its rows in order): every row
/// after the first of a key gets its `unique-error` or `primary-key` error, placed among the
/// row's other errors where the in-memory check puts it (after the field's other errors; the
/// primary key's last), so the report lists the same errors in the same order. A class, so
/// the spill files go with it on every exit path.
final class RowKeySpill {
    /// Keys (prefix-free, ``KeyMemory``), a mark (0 seen before the spill, 1 a held row's) and
    /// the row's position since the spill; a row's payload: its number, the rows read by then,
    /// the cell.
    private let keys: any BlockSorter
    /// By the row's position, the error's slot in the row and its order there: the rows read by
    /// then and the error.
    private let errors: any BlockSorter
    private let fields: [FieldBox]
    private var position: UInt64 = 0
    private var block: [UInt8] = []
    private var payload: [UInt8] = []
    /// Errors held so far: they count toward the error limit.
    private(set) var heldErrors = 0

    /// Takes every key `memory` holds (which then collects each row's keys instead); half the
    /// budget for the keys, half for the errors.
    init(budget: KeyBudget, memory: inout KeyMemory, fields: [FieldBox]) throws {
        keys = try budget.sorter(budget.bytes / 2)
        errors = try budget.sorter(budget.bytes / 2)
        self.fields = fields
        try memory.spill { key in try addKey(key, mark: 0, payload: []) }
    }

    /// Holds a row's keys and errors; `rows` is the rows read with it.
    func hold(
        row: Int, rows: Int, keys recordKeys: [KeyMemory.RecordKey], errors rowErrors: ArraySlice<ValidationError>
    )
        throws
    {
        position += 1
        for recordKey in recordKeys {
            payload.removeAll(keepingCapacity: true)
            RowKeySpill.append(row, to: &payload)
            RowKeySpill.append(rows, to: &payload)
            payload += recordKey.cell.utf8
            try recordKey.key.withUnsafeBufferPointer { try addKey($0, mark: 1, payload: payload) }
        }
        for (order, error) in rowErrors.enumerated() {
            try hold(error, at: position, slot: slot(of: error), order: UInt32(truncatingIfNeeded: order), rows: rows)
        }
    }

    /// Where an error comes among its row's: the row-wide ones first, then by field, the
    /// primary key's last.
    private func slot(of error: ValidationError) -> UInt32 {
        switch error.type {
        case "primary-key": UInt32(fields.count + 1)
        case "extra-cell": 0
        default: UInt32(truncatingIfNeeded: error.fieldNumber ?? 0)
        }
    }

    private func hold(_ error: ValidationError, at position: UInt64, slot: UInt32, order: UInt32, rows: Int) throws {
        block.removeAll(keepingCapacity: true)
        block.appendBigEndian(position)
        block.appendBigEndian(UInt64(slot) << 32 | UInt64(order))
        payload.removeAll(keepingCapacity: true)
        RowKeySpill.append(rows, to: &payload)
        HeldError.encode(error, into: &payload)
        try errors.add(key: block, payload: payload)
        heldErrors += 1
    }

    private func addKey(_ key: UnsafeBufferPointer<UInt8>, mark: UInt8, payload: [UInt8]) throws {
        block.removeAll(keepingCapacity: true)
        block += key
        block.append(mark)
        block.appendBigEndian(position)
        try keys.add(key: block, payload: payload)
    }

    /// Every held error and every repeat found now, in the order the in-memory check finds them,
    /// each with the rows read by its row.
    func finish(_ emit: (ValidationError, _ rows: Int) throws -> Void) throws {
        try findRepeats()
        try errors.finish { _, payload in
            var reader = ByteReader(payload)
            let rows = try reader.integer()
            try emit(try HeldError.decode(&reader), rows)
        }
    }

    /// Each held key after the first of its key (its mark, or an earlier row) is a repeat: its
    /// error goes among the row's held errors, last in its field (or in the row, for a primary key).
    private func findRepeats() throws {
        var current: [UInt8] = []
        var started = false
        try keys.finish { block, payload in
            let key = UnsafeRawBufferPointer(rebasing: block[..<(block.count - 9)])
            guard started && current.elementsEqual(key) else {
                started = true
                current.removeAll(keepingCapacity: true)
                current += key
                return
            }
            let position = block[(block.count - 8)...].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            var reader = ByteReader(payload)
            let row = try reader.integer(), rows = try reader.integer()
            let cell = String(decoding: reader.rest, as: UTF8.self)
            if let index = KeyMemory.field(of: key) {
                try hold(
                    uniqueError(row: row, field: index, cell: cell), at: position, slot: UInt32(index + 1), order: .max,
                    rows: rows)
            } else {
                try hold(
                    primaryKeyError(row: row), at: position, slot: UInt32(fields.count + 1), order: .max, rows: rows)
            }
        }
    }

    private func uniqueError(row: Int, field index: Int, cell: String) -> ValidationError {
        let name = fields[index].name
        return ValidationError(
            type: "unique-error",
            message:
                "Row at position \"\(row)\" has unique constraint violation in field \"\(name)\" at position \"\(index + 1)\"",
            note: "the same as in the row at an earlier position", rowNumber: row, fieldNumber: index + 1,
            fieldName: name, cell: cell)
    }

    private func primaryKeyError(row: Int) -> ValidationError {
        ValidationError(
            type: "primary-key",
            message: "Row at position \"\(row)\" violates the primary key: the same as in an earlier row",
            rowNumber: row)
    }

    private static func append(_ value: Int, to bytes: inout [UInt8]) {
        bytes.appendBigEndian(UInt64(bitPattern: Int64(value)))
    }
}

/// A validation error as bytes, to be held in a spill file and read back the same.
enum HeldError {
    static func encode(_ error: ValidationError, into bytes: inout [UInt8]) {
        for text in [error.type, error.message, error.note] { append(text, to: &bytes) }
        for number in [error.rowNumber, error.fieldNumber] {
            bytes.append(number == nil ? 0 : 1)
            bytes.appendBigEndian(UInt64(bitPattern: Int64(number ?? 0)))
        }
        for text in [error.fieldName, error.cell] {
            bytes.append(text == nil ? 0 : 1)
            append(text ?? "", to: &bytes)
        }
    }

    static func decode(_ reader: inout ByteReader) throws -> ValidationError {
        let type = try reader.text(), message = try reader.text(), note = try reader.text()
        func number() throws -> Int? {
            let present = try reader.byte()
            let value = try reader.integer()
            return present == 1 ? value : nil
        }
        func text() throws -> String? {
            let present = try reader.byte()
            let value = try reader.text()
            return present == 1 ? value : nil
        }
        let row = try number(), field = try number(), name = try text(), cell = try text()
        return ValidationError(
            type: type, message: message, note: note, rowNumber: row, fieldNumber: field, fieldName: name, cell: cell)
    }

    private static func append(_ text: String, to bytes: inout [UInt8]) {
        bytes.appendBigEndian(UInt64(text.utf8.count))
        bytes += text.utf8
    }
}

/// Reads back what ``RowKeySpill`` and ``HeldError`` wrote.
struct ByteReader {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// What is left.
    var rest: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[position...]) }

    mutating func byte() throws -> UInt8 {
        guard position < bytes.count else { throw ByteReader.corrupt }
        defer { position += 1 }
        return bytes[position]
    }

    /// Eight bytes, most significant first.
    mutating func integer() throws -> Int {
        guard position + 8 <= bytes.count else { throw ByteReader.corrupt }
        defer { position += 8 }
        return Int(Int64(bitPattern: bytes[position..<(position + 8)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }))
    }

    mutating func text() throws -> String {
        let count = try integer()
        guard count >= 0, position + count <= bytes.count else { throw ByteReader.corrupt }
        defer { position += count }
        return String(decoding: bytes[position..<(position + count)], as: UTF8.self)
    }

    static let corrupt = PublicaError(.io, "a spill file of the unique checks is corrupt")
}

extension [UInt8] {
    /// `number`'s eight bytes, most significant first, so byte order is numeric order.
    mutating func appendBigEndian(_ number: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { append(UInt8(truncatingIfNeeded: number >> shift)) }
    }
}
