import PublicaCore

/// The compact binary form records take in a spill file: every ``FieldValue`` case, and the
/// record's ``Provenance``, so a reject or an error after a sort still names the record's
/// source and line. Lengths and numbers are LEB128 varints (signed ones zigzagged).
enum RecordSpill {
    static let corrupt = PublicaError(.internal, "a spill file could not be read back (truncated or corrupt)")

    private enum Tag: UInt8 {
        case null, text, integer, decimal, writtenDecimal, falseValue, trueValue, date, dateTime, list, object
    }

    /// What a record costs in memory, roughly: its place in an array (twice: a growing array
    /// keeps up to as much again spare), its values' array and its allocation's header (a
    /// `FieldValue` is 96 bytes inline), and the heap bytes of text too long to keep inline.
    /// Cheap, so it can run per record.
    static func estimatedSize(_ record: Record) -> Int {
        record.values.reduce(2 * MemoryLayout<Record>.stride + arrayHeader + 16) { $0 + estimatedSize($1) }
    }

    /// One value's inline bytes and what it points to.
    static func estimatedSize(_ value: FieldValue) -> Int {
        let inline = MemoryLayout<FieldValue>.stride
        switch value {
        case .text(let text): return inline + heap(text)
        case .decimal(let number):
            return inline + heap(number.integerDigits) + heap(number.fractionDigits) + heap(number.writtenText ?? "")
        case .list(let values): return values.reduce(inline + arrayHeader) { $0 + estimatedSize($1) }
        case .object(let pairs):
            return pairs.reduce(inline + arrayHeader) { $0 + 16 + heap($1.key) + estimatedSize($1.value) }
        default: return inline
        }
    }

    private static let arrayHeader = 32

    /// A string's heap bytes: none for up to 15 UTF-8 bytes (kept inline), else its bytes and a header.
    private static func heap(_ text: String) -> Int {
        let count = text.utf8.count
        return count > 15 ? (count + 32 + 15) & ~15 : 0
    }

    /// Appends encodings to ``bytes``.
    struct Encoder {
        var bytes: [UInt8] = []
        /// Decimals as their canonical digits, whatever was written: for group keys, where
        /// `1.50` and `1.5` must be the same bytes.
        var canonical = false
        /// The previous record's source: a run names it once, and then 0 for "the same", so
        /// records read back share one string.
        var lastSource: String?

        mutating func record(_ record: Record) {
            let source = record.provenance.source
            if let lastSource, lastSource.utf8.elementsEqual(source.utf8) {
                unsigned(0)
            } else {
                unsigned(source.utf8.count + 1)
                bytes.append(contentsOf: source.utf8)
                lastSource = source
            }
            unsigned(record.provenance.line)
            unsigned(record.provenance.endLine - record.provenance.line)
            unsigned(record.provenance.recordNumber)
            unsigned(record.values.count)
            for value in record.values { self.value(value) }
        }

        mutating func value(_ value: FieldValue) {
            switch value {
            case .null: tag(.null)
            case .text(let string): tag(.text); text(string)
            case .integer(let number): tag(.integer); signed(number)
            case .decimal(let number):
                if let written = number.writtenText, !canonical {
                    tag(.writtenDecimal); text(written)
                } else {
                    // Canonical digits: `1e3` as written is `1000`, as its value is.
                    tag(.decimal);
                    text(
                        number.writtenText == nil
                            ? number.description : ExactDecimal(number.description)?.description ?? number.description)
                }
            case .boolean(let flag): tag(flag ? .trueValue : .falseValue)
            case .date(let date): tag(.date); self.date(date)
            case .dateTime(let time):
                tag(.dateTime)
                date(time.date)
                unsigned(time.hour)
                unsigned(time.minute)
                unsigned(time.second)
                text(time.fraction)
                signed(time.utcOffsetMinutes.map { Int64($0) * 2 + 1 } ?? 0)
            case .list(let values):
                tag(.list)
                unsigned(values.count)
                for item in values { self.value(item) }
            case .object(let pairs):
                tag(.object)
                unsigned(pairs.count)
                for pair in pairs {
                    text(pair.key)
                    self.value(pair.value)
                }
            }
        }

        /// Text given as its UTF-8 bytes: what `value(.text(…))` writes for it.
        mutating func text(_ utf8: UnsafeBufferPointer<UInt8>) {
            tag(.text)
            unsigned(utf8.count)
            bytes.append(contentsOf: utf8)
        }

        private mutating func tag(_ tag: Tag) { bytes.append(tag.rawValue) }
        private mutating func date(_ date: DateValue) {
            unsigned(date.year)
            unsigned(date.month ?? 0)
            unsigned(date.day ?? 0)
        }
        private mutating func text(_ text: String) {
            unsigned(text.utf8.count)
            bytes.append(contentsOf: text.utf8)
        }
        mutating func unsigned(_ number: Int) { Encoder.varint(UInt64(UInt(bitPattern: number)), into: &bytes) }
        private mutating func signed(_ number: Int64) {
            Encoder.varint(UInt64(bitPattern: (number << 1) ^ (number >> 63)), into: &bytes)
        }

        static func varint(_ number: UInt64, into bytes: inout [UInt8]) {
            var rest = number
            while rest >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
                rest >>= 7
            }
            bytes.append(UInt8(rest))
        }
    }

    /// Reads encodings back from a buffer.
    struct Decoder {
        let bytes: UnsafeRawBufferPointer
        private(set) var position = 0

        /// The previous record's source, for a record that names it as "the same" (0).
        var lastSource: String?

        init(_ bytes: UnsafeRawBufferPointer, lastSource: String? = nil) {
            self.bytes = bytes
            self.lastSource = lastSource
        }

        mutating func record() throws -> Record {
            let sourceLength = try unsigned()
            if sourceLength > 0 {
                guard sourceLength - 1 <= bytes.count - position else { throw RecordSpill.corrupt }
                lastSource = String(
                    decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<(position + sourceLength - 1)]),
                    as: UTF8.self)
                position += sourceLength - 1
            }
            guard let source = lastSource else { throw RecordSpill.corrupt }
            let line = try unsigned()
            let endLine = line + (try unsigned())
            let provenance = Provenance(source: source, line: line, endLine: endLine, recordNumber: try unsigned())
            let count = try unsigned()
            var values: [FieldValue] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try value()) }
            return Record(values: values, provenance: provenance)
        }

        mutating func value() throws -> FieldValue {
            guard let tag = Tag(rawValue: try byte()) else { throw RecordSpill.corrupt }
            switch tag {
            case .null: return .null
            case .text: return .text(try text())
            case .integer: return .integer(try signed())
            case .decimal:
                return try ExactDecimal(try text()).map(FieldValue.decimal) ?? { throw RecordSpill.corrupt }()
            case .writtenDecimal:
                return try ExactDecimal(writtenAs: try text()).map(FieldValue.decimal)
                    ?? { throw RecordSpill.corrupt }()
            case .falseValue: return .boolean(false)
            case .trueValue: return .boolean(true)
            case .date: return .date(try date())
            case .dateTime: return .dateTime(try dateTime())
            case .list: return .list(try (0..<(try unsigned())).map { _ in try value() })
            case .object: return .object(try (0..<(try unsigned())).map { _ in (try text(), try value()) })
            }
        }

        private mutating func date() throws -> DateValue {
            let year = try unsigned(), month = try unsigned(), day = try unsigned()
            guard let date = DateValue(year: year, month: month == 0 ? nil : month, day: day == 0 ? nil : day) else {
                throw RecordSpill.corrupt
            }
            return date
        }

        private mutating func dateTime() throws -> DateTimeValue {
            let (date, hour, minute, second) = (try date(), try unsigned(), try unsigned(), try unsigned())
            let (fraction, offset) = (try text(), try signed())
            guard
                let time = DateTimeValue(
                    date: date, hour: hour, minute: minute, second: second,
                    fraction: fraction, utcOffsetMinutes: offset == 0 ? nil : Int((offset - 1) / 2))
            else { throw RecordSpill.corrupt }
            return time
        }

        /// Moves past `count` bytes the caller has checked are there.
        mutating func skip(_ count: Int) { position += count }

        mutating func byte() throws -> UInt8 {
            guard position < bytes.count else { throw RecordSpill.corrupt }
            defer { position += 1 }
            return bytes[position]
        }

        private mutating func text() throws -> String {
            let count = try unsigned()
            guard count <= bytes.count - position else { throw RecordSpill.corrupt }
            defer { position += count }
            return String(
                decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)]), as: UTF8.self)
        }

        mutating func unsigned() throws -> Int { Int(truncatingIfNeeded: try varint()) }
        private mutating func signed() throws -> Int64 {
            let raw = try varint()
            return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
        }

        mutating func varint() throws -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let next = try byte()
                result |= UInt64(next & 0x7F) << shift
                if next < 0x80 { return result }
                shift += 7
                guard shift < 64 else { throw RecordSpill.corrupt }
            }
        }
    }
}
