import PublicaCore

/// Field names pre-rendered as JSON key prefixes, for the object writers.
public struct JSONObjectKeys: Sendable {
    /// All prefixes back to back: `{"a":` `,"b":` …
    /// Followed by eight zero bytes, so a prefix can be copied eight bytes at a time.
    public private(set) var bytes: [UInt8] = []
    /// Where each prefix starts in `bytes`; one more entry marks the end.
    public private(set) var offsets: [Int] = [0]

    /// No keys, until a writer knows its fields.
    public init() {}

    /// Prefixes for `names`: `firstPrefix` before the first key, `separator` before the others.
    public init(_ names: [String], firstPrefix: String = "{", separator: String = ",") {
        for (index, name) in names.enumerated() {
            bytes.append(contentsOf: (index == 0 ? firstPrefix : separator).utf8)
            JSONEscaping.appendQuoted(name, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            offsets.append(bytes.count)
        }
        // Padding, so a key can be copied eight bytes at a time without reading past the end.
        bytes.append(contentsOf: repeatElement(0, count: 8))
    }

    /// The number of keys.
    public var count: Int { offsets.count - 1 }

    /// The most bytes a record's object body can take.
    public func bound(for record: RawRecord) -> Int {
        var total = bytes.count &+ 16
        for field in record.fields { total &+= JSONEscaping.worstCase(field.count) &+ 4 }
        return total
    }

    /// Writes `{"a":"…","b":"…"` (without the closing brace); returns the bytes written.
    /// `destination` must have room for ``bound(for:)`` bytes.
    public func writeObjectBody(_ record: RawRecord, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        var cursor = destination
        let fieldCount = min(count, record.fields.count)
        bytes.withUnsafeBufferPointer { keyBytes in
            let keyBase = keyBytes.baseAddress!
            offsets.withUnsafeBufferPointer { keyOffsets in
                for index in 0..<fieldCount {
                    cursor += JSONObjectKeys.copyKey(index, keyBase, keyOffsets.baseAddress!, to: cursor)
                    let field = record.fields[index]
                    switch field.encoding {
                    case .null:
                        cursor[0] = 0x6E; cursor[1] = 0x75; cursor[2] = 0x6C; cursor[3] = 0x6C  // null
                        cursor += 4
                        continue
                    case .integer, .decimal, .boolean:
                        // Canonical number or literal text: a bare JSON value.
                        cursor.update(from: field.start, count: field.count)
                        cursor += field.count
                        continue
                    case .plain, .doubledQuotes, .date:
                        break
                    }
                    cursor[0] = 0x22
                    cursor += 1
                    cursor += JSONEscaping.escape(
                        field.start, count: field.count,
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

    /// Copies key `index` (its prefix) to `destination` and returns its length. Keys are short:
    /// whole words rather than a memmove call, so up to seven bytes past the key are written
    /// (the key table is padded; the destination needs the slack).
    @inlinable @inline(__always)
    public static func copyKey(
        _ index: Int, _ keyBytes: UnsafePointer<UInt8>, _ keyOffsets: UnsafePointer<Int>,
        to destination: UnsafeMutablePointer<UInt8>
    ) -> Int {
        let keyStart = keyOffsets[index], keyLength = keyOffsets[index &+ 1] &- keyStart
        var copied = 0
        while copied < keyLength {
            let word = UnsafeRawPointer(keyBytes + (keyStart &+ copied)).loadUnaligned(as: UInt64.self)
            UnsafeMutableRawPointer(destination + copied).storeBytes(of: word, as: UInt64.self)
            copied &+= 8
        }
        return keyLength
    }

    /// A typed record as a complete JSON object.
    public func renderObject(_ record: Record) -> [UInt8] {
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
