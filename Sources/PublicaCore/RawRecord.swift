/// A record whose values are UTF-8 bytes in a reader's buffer, valid only during one callback.
///
/// This is the fast path: a CSV reader hands its field byte ranges straight to a writer,
/// which escapes them into its output buffer, so a plain conversion builds no `String` at all.
/// Use ``makeRecord()`` to keep a record beyond the callback.
public struct RawRecord {
    /// How a field's bytes must be read.
    public enum Encoding: UInt8, Sendable {
        /// The bytes are the value.
        case plain
        /// The bytes come from inside CSV quotes: each `""` pair stands for one `"`.
        case doubledQuotes
        /// No value at all (an absent XML element): JSON `null`, an empty CSV cell.
        case null
    }

    /// One field: a pointer into the reader's buffer and a length.
    public struct Field {
        public var start: UnsafePointer<UInt8>
        public var count: Int
        public var encoding: Encoding

        @inlinable
        public init(start: UnsafePointer<UInt8>, count: Int, encoding: Encoding) {
            self.start = start
            self.count = count
            self.encoding = encoding
        }

        /// The field's value as a `String` (doubled quotes resolved).
        public var stringValue: String {
            let bytes = UnsafeBufferPointer(start: start, count: count)
            guard encoding == .doubledQuotes else { return String(decoding: bytes, as: UTF8.self) }
            var result: [UInt8] = []
            result.reserveCapacity(count)
            var index = 0
            while index < count {
                result.append(bytes[index])
                // Inside quotes, `""` is one quote: keep the first, skip the second.
                index += bytes[index] == UInt8(ascii: "\"") ? 2 : 1
            }
            return String(decoding: result, as: UTF8.self)
        }

        /// The value's length in bytes once doubled quotes are resolved.
        public var decodedCount: Int {
            guard encoding == .doubledQuotes else { return count }
            var quotes = 0
            for byte in UnsafeBufferPointer(start: start, count: count) where byte == UInt8(ascii: "\"") { quotes += 1 }
            return count - quotes / 2
        }
    }

    public var fields: UnsafeBufferPointer<Field>
    public var provenance: Provenance

    @inlinable
    public init(fields: UnsafeBufferPointer<Field>, provenance: Provenance) {
        self.fields = fields
        self.provenance = provenance
    }

    /// Copies the record out as text values (null fields as null).
    public func makeRecord() -> Record {
        Record(values: fields.map { $0.encoding == .null ? .null : .text($0.stringValue) }, provenance: provenance)
    }

    /// The values as strings, for rejects and messages.
    public var stringValues: [String] { fields.map(\.stringValue) }
}
