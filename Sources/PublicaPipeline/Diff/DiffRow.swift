import PublicaCore
import PublicaJSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A row as the diff holds it in the sorter: its record number and first line (8 bytes each, for
/// messages), then each field in the side's header order: `0` for null, or `1`, its length
/// (4 bytes) and its UTF-8 text.
struct DiffRow {
    /// Where the row was read: the record's ordinal among the data rows, and its first line.
    var record = 0
    var line = 0
    /// Each field's bytes in the payload (offset and length); a null has length -1.
    private(set) var fields: [(offset: Int, count: Int)] = []

    /// Appends a row's payload to `bytes` (emptied first).
    static func encode(_ values: [FieldValue], record: Int, line: Int, into bytes: inout [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        bytes.appendBigEndian(UInt64(record))
        bytes.appendBigEndian(UInt64(line))
        for value in values {
            guard var text = value.textValue else {
                bytes.append(0)
                continue
            }
            bytes.append(1)
            text.withUTF8 { utf8 in
                withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
                bytes.append(contentsOf: utf8)
            }
        }
    }

    /// Reads the positions of a payload's fields (the payload itself stays where it is).
    mutating func decode(_ payload: UnsafeRawBufferPointer) {
        record = Int(DiffRow.bigEndian(payload, at: 0))
        line = Int(DiffRow.bigEndian(payload, at: 8))
        fields.removeAll(keepingCapacity: true)
        var offset = 16
        while offset < payload.count {
            if payload[offset] == 0 {
                fields.append((offset + 1, -1))
                offset += 1
                continue
            }
            var length: UInt32 = 0
            withUnsafeMutableBytes(of: &length) {
                $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: payload[(offset + 1)..<(offset + 5)]))
            }
            let count = Int(UInt32(littleEndian: length))
            fields.append((offset + 5, count))
            offset += 5 + count
        }
    }

    /// Field `index`'s bytes (empty for null, as for a field the row does not have).
    func bytes(_ index: Int, in payload: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard index < fields.count, fields[index].count > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let field = fields[index]
        return UnsafeRawBufferPointer(rebasing: payload[field.offset..<(field.offset + field.count)])
    }

    /// Field `index` as a value: null, or its text.
    func value(_ index: Int, in payload: UnsafeRawBufferPointer) -> FieldValue {
        guard index < fields.count, fields[index].count >= 0 else { return .null }
        return .text(String(decoding: bytes(index, in: payload), as: UTF8.self))
    }

    /// Whether two fields are equal as text (null and "" are).
    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    private static func bigEndian(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        var number: UInt64 = 0
        for byte in bytes[offset..<(offset + 8)] { number = number << 8 | UInt64(byte) }
        return number
    }
}
