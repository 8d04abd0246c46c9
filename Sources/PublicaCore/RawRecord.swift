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
        /// No value at all (an absent XML element, a missing value): JSON `null`, an empty CSV cell.
        case null
        /// A typed value in canonical form, as the `cast` step's fast path writes it: an integer
        /// (`-12`), an exact decimal (`0.5`) or a boolean (`true`) is a bare JSON number or
        /// literal; a date (`2024-06-30`) is a JSON string. Each reads back as its typed
        /// ``FieldValue`` (``makeRecord()``), so a record can leave the fast path at any step.
        case integer, decimal, boolean, date

        /// True for the typed cases, whose bytes are canonical text.
        @inlinable public var isTyped: Bool { rawValue >= Encoding.integer.rawValue }
    }

    /// One field: a pointer into the reader's buffer and a length.
    public struct Field {
        /// The field's first byte, in a buffer someone else owns (a reader's or a step's).
        public var start: UnsafePointer<UInt8>
        /// The length in bytes as stored: each `""` pair still counts two (see ``decodedCount``).
        public var count: Int
        /// How the bytes are read: as they are, with doubled quotes, as null, or as a typed value.
        public var encoding: Encoding

        /// A field over `count` bytes at `start`; nothing is copied.
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

        /// No value, with no bytes.
        public static var null: Field { Field(start: emptyBytes, count: 0, encoding: .null) }

        /// The field as a value: text, null, or the typed value its canonical bytes spell.
        public var value: FieldValue {
            switch encoding {
            case .plain, .doubledQuotes: return .text(stringValue)
            case .null: return .null
            case .integer: return Int64(stringValue).map(FieldValue.integer) ?? .text(stringValue)
            case .decimal:
                // Canonical digits from a cast; a number as written (a JSON lookup's `1e3`,
                // joined as bytes) stays as written, as its record would keep it.
                let text = stringValue
                let written = text.utf8.contains { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
                return (written ? ExactDecimal(writtenAs: text) : ExactDecimal(text)).map(FieldValue.decimal)
                    ?? .text(text)
            case .boolean: return .boolean(count == 4)
            case .date: return isoDate.map(FieldValue.date) ?? .text(stringValue)
            }
        }

        /// `YYYY-MM-DD` as a date.
        private var isoDate: DateValue? {
            guard count == 10 else { return nil }
            func number(_ range: Range<Int>) -> Int {
                range.reduce(0) { $0 * 10 + Int(start[$1]) - 0x30 }
            }
            return DateValue(year: number(0..<4), month: number(5..<7), day: number(8..<10))
        }

        /// The value's length in bytes once doubled quotes are resolved.
        public var decodedCount: Int {
            guard encoding == .doubledQuotes else { return count }
            var quotes = 0
            for byte in UnsafeBufferPointer(start: start, count: count) where byte == UInt8(ascii: "\"") { quotes += 1 }
            return count - quotes / 2
        }
    }

    /// Where a raw record came from, as plain values: the source's name is pointed at, not
    /// retained, so a raw record costs no reference counting however often it is copied.
    public struct Place {
        /// The source's name; whoever hands the record over keeps it alive (see ``SourceName``).
        public unowned(unsafe) let source: SourceName
        /// The 1-based line where the record starts.
        public var line: Int
        /// The last line the record occupies.
        public var endLine: Int
        /// The 1-based ordinal of the record among the source's data records.
        public var recordNumber: Int

        /// Record `recordNumber` of `source`, on lines `line` to `endLine`.
        @inlinable
        public init(source: SourceName, line: Int, endLine: Int, recordNumber: Int) {
            self.source = source
            self.line = line
            self.endLine = endLine
            self.recordNumber = recordNumber
        }

        /// The same place as a ``Provenance``, for rejects and messages.
        public var provenance: Provenance {
            Provenance(source: source.path, line: line, endLine: endLine, recordNumber: recordNumber)
        }
    }

    /// The values, in the stream's field order; they point into buffers that are reused after
    /// the callback that hands the record over.
    public var fields: UnsafeBufferPointer<Field>
    /// Where the record came from; valid, like the fields, while the record is.
    public var place: Place

    /// A record over `fields`; nothing is copied, so the fields, their bytes and the place's
    /// source name must stay valid while it is used.
    @inlinable
    public init(fields: UnsafeBufferPointer<Field>, place: Place) {
        self.fields = fields
        self.place = place
    }

    /// Where the record came from, for rejects and error messages.
    public var provenance: Provenance { place.provenance }

    /// Copies the record out: text values, null fields as null, typed fields as their values.
    public func makeRecord() -> Record {
        Record(values: fields.map(\.value), provenance: provenance)
    }

    /// The values as strings, for rejects and messages.
    public var stringValues: [String] { fields.map(\.stringValue) }
}

/// What a field of no bytes points at.
nonisolated(unsafe) private let emptyBytes = UnsafePointer(UnsafeMutablePointer<UInt8>.allocate(capacity: 1))

/// A source's name (a file path, or `-`), held by the reader and pointed at by the raw records
/// it hands out (``RawRecord/Place``), so that records carry it without reference counting.
public final class SourceName: Sendable {
    /// The name as the user gave it.
    public let path: String

    /// The name `path`.
    public init(_ path: String) { self.path = path }
}
