import PublicaCore

/// Writes records as newline-delimited JSON: one object per line, keys in field order.
///
/// Keys are rendered once, as byte prefixes (`{"name":` then `,"name":`), and copied
/// per record; raw CSV fields are escaped straight from the reader's buffer.
public struct NDJSONWriter: RecordSink {
    var output: OutputBuffer
    var keys = RenderedKeys()

    public init(file: OutputFile) {
        output = OutputBuffer(file: file)
    }

    public mutating func begin(schema: RecordSchema) throws {
        keys = RenderedKeys(schema.fieldNames, firstPrefix: "{", separator: ",")
    }


    public mutating func write(raw record: RawRecord) throws {
        let destination = try output.reserve(keys.bound(for: record) &+ 2)
        let written = keys.writeObjectBody(record, to: destination)
        destination[written] = UInt8(ascii: "}")
        destination[written &+ 1] = 0x0A
        output.commit(written &+ 2)
    }

    public mutating func write(_ record: Record) throws {
        var bytes = keys.renderObject(record)
        bytes.append(0x0A)
        try output.append(bytes)
    }

    public mutating func finish() throws {
        try output.commitFile()
    }
}

/// Writes records as one JSON array of objects, streamed: `[`, objects separated by commas, `]`.
public struct JSONWriter: RecordSink {
    var output: OutputBuffer
    var keys = RenderedKeys()
    var isFirst = true

    public init(file: OutputFile) {
        output = OutputBuffer(file: file)
    }

    public mutating func begin(schema: RecordSchema) throws {
        keys = RenderedKeys(schema.fieldNames, firstPrefix: "{", separator: ",")
        try output.append("[")
    }


    public mutating func write(raw record: RawRecord) throws {
        let destination = try output.reserve(keys.bound(for: record) &+ 4)
        destination[0] = isFirst ? 0x0A : UInt8(ascii: ",")
        destination[1] = 0x0A
        let start = isFirst ? 1 : 2
        isFirst = false
        let written = keys.writeObjectBody(record, to: destination + start)
        destination[start &+ written] = UInt8(ascii: "}")
        output.commit(start &+ written &+ 1)
    }

    public mutating func write(_ record: Record) throws {
        try output.append(isFirst ? "\n" : ",\n")
        isFirst = false
        try output.append(keys.renderObject(record))
    }

    public mutating func finish() throws {
        try output.append(isFirst ? "]\n" : "\n]\n")
        try output.commitFile()
    }
}

/// Field names pre-rendered as JSON key prefixes, for the object writers.
public struct RenderedKeys {
    /// All prefixes back to back: `{"a":` `,"b":` …
    var bytes: [UInt8] = []
    /// Where each prefix starts in `bytes`; one more entry marks the end.
    var offsets: [Int] = [0]

    public init() {}

    init(_ names: [String], firstPrefix: String, separator: String) {
        for (index, name) in names.enumerated() {
            bytes.append(contentsOf: (index == 0 ? firstPrefix : separator).utf8)
            JSONEscaping.appendQuoted(name, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            offsets.append(bytes.count)
        }
        // Padding, so a key can be copied eight bytes at a time without reading past the end.
        bytes.append(contentsOf: repeatElement(0, count: 8))
    }

    var count: Int { offsets.count - 1 }

    /// The most bytes a record's object body can take.

    func bound(for record: RawRecord) -> Int {
        var total = bytes.count &+ 16
        for field in record.fields { total &+= JSONEscaping.worstCase(field.count) &+ 4 }
        return total
    }

    /// Writes `{"a":"…","b":"…"` (without the closing brace); returns the bytes written.

    func writeObjectBody(_ record: RawRecord, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        var cursor = destination
        let fieldCount = min(count, record.fields.count)
        bytes.withUnsafeBufferPointer { keyBytes in
            let keyBase = keyBytes.baseAddress!
            offsets.withUnsafeBufferPointer { keyOffsets in
                for index in 0..<fieldCount {
                    let keyStart = keyOffsets[index], keyLength = keyOffsets[index &+ 1] &- keyStart
                    // Keys are short: whole words, not a memmove call (the reservation has the slack).
                    var copied = 0
                    while copied < keyLength {
                        let word = UnsafeRawPointer(keyBase + (keyStart &+ copied)).loadUnaligned(as: UInt64.self)
                        UnsafeMutableRawPointer(cursor + copied).storeBytes(of: word, as: UInt64.self)
                        copied &+= 8
                    }
                    cursor += keyLength
                    let field = record.fields[index]
                    if field.encoding == .null {
                        cursor[0] = 0x6E; cursor[1] = 0x75; cursor[2] = 0x6C; cursor[3] = 0x6C  // null
                        cursor += 4
                        continue
                    }
                    cursor[0] = 0x22
                    cursor += 1
                    cursor += JSONEscaping.escape(field.start, count: field.count,
                                                  doubledQuotes: field.encoding == .doubledQuotes, into: cursor)
                    cursor[0] = 0x22
                    cursor += 1
                }
            }
        }
        if fieldCount == 0 {
            cursor[0] = UInt8(ascii: "{")
            cursor += 1
        }
        return cursor - destination
    }

    /// A typed record as a complete JSON object.
    func renderObject(_ record: Record) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + record.values.count * 16)
        let fieldCount = min(count, record.values.count)
        for index in 0..<fieldCount {
            out.append(contentsOf: bytes[offsets[index]..<offsets[index + 1]])
            JSONText.append(record.values[index], to: &out)
        }
        if fieldCount == 0 { out.append(UInt8(ascii: "{")) }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
