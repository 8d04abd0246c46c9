/// Thrift's compact protocol, the little of it Parquet's footer and page headers use: structs
/// of integers, booleans, binaries, lists and nested structs, written field by field in
/// increasing field-id order.
struct ThriftCompactWriter: ~Copyable {
    enum FieldType: UInt8 {
        case boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7, binary = 8
        case list = 9, set = 10, map = 11, `struct` = 12
    }

    var output = ByteBuffer(capacity: 1024)
    /// The last field id written in each open struct (the compact protocol writes deltas).
    private var lastFieldIDs: [Int16] = [0]

    private mutating func fieldHeader(_ id: Int16, _ type: FieldType) {
        let delta = id - lastFieldIDs[lastFieldIDs.count - 1]
        if delta > 0 && delta <= 15 {
            output.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            output.append(type.rawValue)
            output.appendVarint(zigzag(Int64(id)))
        }
        lastFieldIDs[lastFieldIDs.count - 1] = id
    }

    private func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }

    mutating func i32(_ id: Int16, _ value: Int32) {
        fieldHeader(id, .i32)
        output.appendVarint(zigzag(Int64(value)))
    }

    mutating func i64(_ id: Int16, _ value: Int64) {
        fieldHeader(id, .i64)
        output.appendVarint(zigzag(value))
    }

    mutating func bool(_ id: Int16, _ value: Bool) { fieldHeader(id, value ? .boolTrue : .boolFalse) }

    mutating func binary(_ id: Int16, _ bytes: [UInt8]) {
        fieldHeader(id, .binary)
        output.appendVarint(UInt64(bytes.count))
        output.append(bytes)
    }

    mutating func string(_ id: Int16, _ text: String) { binary(id, Array(text.utf8)) }

    /// A nested struct: `body` writes its fields.
    mutating func `struct`(_ id: Int16, _ body: (inout ThriftCompactWriter) -> Void) {
        fieldHeader(id, .struct)
        structBody(body)
    }

    /// A struct's fields and its stop byte (also a list element's).
    mutating func structBody(_ body: (inout ThriftCompactWriter) -> Void) {
        lastFieldIDs.append(0)
        body(&self)
        output.append(0)  // stop
        lastFieldIDs.removeLast()
    }

    private mutating func listHeader(_ id: Int16, count: Int, of type: FieldType) {
        fieldHeader(id, .list)
        if count < 15 {
            output.append(UInt8(count) << 4 | type.rawValue)
        } else {
            output.append(0xF0 | type.rawValue)
            output.appendVarint(UInt64(count))
        }
    }

    mutating func list(_ id: Int16, i32 values: [Int32]) {
        listHeader(id, count: values.count, of: .i32)
        for value in values { output.appendVarint(zigzag(Int64(value))) }
    }

    mutating func list(_ id: Int16, strings values: [String]) {
        listHeader(id, count: values.count, of: .binary)
        for value in values {
            output.appendVarint(UInt64(value.utf8.count))
            output.append(Array(value.utf8))
        }
    }

    /// A list of structs, `body` writing element `index`'s fields.
    mutating func list(_ id: Int16, structs count: Int, _ body: (inout ThriftCompactWriter, Int) -> Void) {
        listHeader(id, count: count, of: .struct)
        for index in 0..<count { structBody { body(&$0, index) } }
    }

    /// Ends the top-level struct.
    mutating func stop() { output.append(0) }
}
