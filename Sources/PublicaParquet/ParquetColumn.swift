import PublicaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One column's values for the row group being filled: a definition level per row (1: a
/// value, 0: null), the values in PLAIN form or, for strings, as indices into the chunk's
/// dictionary, and the statistics so far. Written out and emptied at each row group's end
/// (``ParquetColumn/writeChunk(into:)``). A struct kept in
/// place by its table, so the hot path has no reference counting and no exclusivity checks.
struct ParquetColumn: ~Copyable {
    let name: String
    var type: ParquetColumnType
    let layout: ParquetLayout
    /// One byte per row: 1 for a value, 0 for null.
    var definitions = ByteBuffer(capacity: 1 << 14)
    /// The values, PLAIN (booleans a byte each, packed when written); for a number column with
    /// no scale yet, their texts (4-byte length, bytes) until the first row group's end fixes it.
    var values = ByteBuffer(capacity: 1 << 16)
    /// Dictionary indices, one per value, while ``usesDictionary``.
    var indices: [UInt32] = []
    var dictionary = ByteDictionary()
    /// Strings go through the dictionary until it outgrows ``ParquetLayout/dictionaryBytes``.
    private(set) var usesDictionary: Bool
    private(set) var rows = 0
    private(set) var nulls = 0
    /// Statistics: integers, dates, years and times (and booleans as 0 and 1) as 64-bit numbers.
    var minInteger = Int64.max
    var maxInteger = Int64.min
    var minDecimal = Decimal128(high: .max, low: .max)
    var maxDecimal = Decimal128(high: .min, low: 0)
    /// PLAIN strings' least and greatest (byte order).
    var minString: [UInt8]?
    var maxString: [UInt8]?
    /// A number column with no declared scale: the largest scale and the longest integer part
    /// seen in the first row group, and where the longest was.
    var pendingScale = 0
    var widestInteger = (digits: 0, place: Provenance?.none)

    init(name: String, type: ParquetColumnType, layout: ParquetLayout) {
        self.name = name
        self.type = type
        self.layout = layout
        usesDictionary = type == .string
    }

    /// The memory the row group's values take so far, roughly.
    var bufferedBytes: Int { definitions.count + values.count + indices.count * 4 + dictionary.plain.count }

    mutating func appendNull() {
        definitions.append(0)
        rows &+= 1
        nulls &+= 1
    }

    /// Appends the value `bytes` spell (none: null); `place` names the record for a later error.
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, place: @autoclosure () -> Provenance) throws(ValueProblem)
    {
        guard bytes.count > 0 else { return appendNull() }
        switch type {
        case .string: appendString(bytes)
        case .integer:
            guard let number = DecimalDigits.int64(bytes) else { throw .notA("integer") }
            appendInteger(number)
        case .year:
            guard let number = DecimalDigits.int64(bytes), let year = Int32(exactly: number) else {
                throw .notA("year")
            }
            values.appendLittleEndian(year)
            track(Int64(year))
        case .date:
            guard let days = ValueParsing.date(bytes) else { throw .notA("date (YYYY-MM-DD)") }
            values.appendLittleEndian(days)
            track(Int64(days))
        case .timestamp(let utc):
            guard let time = ValueParsing.timestamp(bytes) else { throw .notA("datetime (YYYY-MM-DDTHH:MM:SS)") }
            if let utc, utc != time.hasOffset { throw .offsetMismatch(columnIsUTC: utc) }
            if utc == nil { type = .timestamp(utc: time.hasOffset) }
            appendInteger(time.micros)
        case .boolean:
            guard let flag = ValueParsing.boolean(bytes) else { throw .notA("boolean") }
            values.append(flag ? 1 : 0)
            track(flag ? 1 : 0)
        case .decimal(let scale?):
            try appendDecimal(DecimalParsing.parse(bytes, scale: scale), scale: scale)
        case .decimal(nil):
            guard let shape = DecimalParsing.shape(bytes) else { throw .notA("number") }
            pendingScale = max(pendingScale, shape.scale)
            if shape.integerDigits > widestInteger.digits { widestInteger = (shape.integerDigits, place()) }
            values.appendLittleEndian(UInt32(bytes.count))
            values.append(bytes)
        }
        definitions.append(1)
        rows &+= 1
    }

    /// Appends a typed integer to an integer column (no text to parse).
    mutating func append(integer number: Int64) {
        appendInteger(number)
        definitions.append(1)
        rows &+= 1
    }

    /// An integer's value and bounds (an integer column's, or a timestamp's microseconds); the
    /// caller adds its definition level.
    private mutating func appendInteger(_ number: Int64) {
        values.appendLittleEndian(number)
        track(number)
    }

    @inline(__always)
    private mutating func track(_ number: Int64) {
        if number < minInteger { minInteger = number }
        if number > maxInteger { maxInteger = number }
    }

    private mutating func appendDecimal(_ outcome: DecimalParsing.Outcome, scale: Int) throws(ValueProblem) {
        switch outcome {
        case .value(let number):
            number.append(to: &values)
            if number < minDecimal { minDecimal = number }
            if maxDecimal < number { maxDecimal = number }
        case .invalid: throw .notA("number")
        case .finerThanScale(let written): throw .finerThanScale(written: written, scale: scale)
        case .tooLong: throw .tooManyDigits(scale: scale)
        }
    }

    private mutating func appendString(_ bytes: UnsafeBufferPointer<UInt8>) {
        if usesDictionary {
            indices.append(dictionary.index(of: bytes))
            if dictionary.plain.count > layout.dictionaryBytes { fallBackToPlain() }
            return
        }
        values.appendLittleEndian(UInt32(bytes.count))
        values.append(bytes)
        trackString(bytes)
    }

    private mutating func trackString(_ bytes: UnsafeBufferPointer<UInt8>) {
        if minString.map({ ParquetColumn.compare(bytes, $0) < 0 }) ?? true { minString = Array(bytes) }
        if maxString.map({ ParquetColumn.compare(bytes, $0) > 0 }) ?? true { maxString = Array(bytes) }
    }

    /// Byte order, as Parquet sorts UTF-8 strings: negative, zero or positive.
    static func compare(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: [UInt8]) -> Int {
        rhs.withUnsafeBufferPointer { rhs in
            let common = min(lhs.count, rhs.count)
            if common > 0, let a = lhs.baseAddress, let b = rhs.baseAddress {
                let order = memcmp(a, b, common)
                if order != 0 { return Int(order) }
            }
            return lhs.count - rhs.count
        }
    }

    /// The dictionary grew too big: its values so far become PLAIN, and so do the rest.
    private mutating func fallBackToPlain() {
        usesDictionary = false
        for entry in 0..<dictionary.count { trackString(dictionary.value(entry)) }
        for index in indices {
            let value = dictionary.value(Int(index))
            values.appendLittleEndian(UInt32(value.count))
            values.append(value)
        }
        indices.removeAll()
        dictionary.removeAll()
    }

    /// Empties the column for the next row group (keeping its memory, its type and its encoding).
    mutating func reset() {
        definitions.removeAll()
        values.removeAll()
        indices.removeAll(keepingCapacity: true)
        if dictionary.count > 0 { dictionary.removeAll() }
        rows = 0
        nulls = 0
        minInteger = .max
        maxInteger = .min
        minDecimal = Decimal128(high: .max, low: .max)
        maxDecimal = Decimal128(high: .min, low: 0)
        minString = nil
        maxString = nil
    }
}
