import PublicaCore
import PublicaIngest
import PublicaJSON

/// Infers a Table Schema from a whole table, streaming.
///
/// Cautious by design: a code with a leading zero (`01234`, `0540`) stays a string; numbers
/// with thousands separators get `groupChar`; Korean date forms (`2022.09.02`,
/// `2022년 9월 2일`, `20220902`) get their strptime format; a column whose only non-numeric
/// value is `-` makes `-` a missing value. A column unique and never empty is suggested as the
/// primary key.
public struct SchemaInference {
    /// How ``infer(path:)`` reads a CSV file; ragged rows are kept (`fieldCountPolicy` is `.keep`).
    public var readOptions: CSVReadOptions

    /// An inference reading CSV with `readOptions` (its field-count policy replaced by `.keep`).
    public init(readOptions: CSVReadOptions = CSVReadOptions()) {
        var options = readOptions
        options.fieldCountPolicy = .keep
        self.readOptions = options
    }

    private static let dateCandidates: [(format: String, field: String)] = [
        ("default", "%Y-%m-%d"), ("%Y.%m.%d", "%Y.%m.%d"), ("%Y년 %m월 %d일", "%Y년 %m월 %d일"), ("%Y%m%d", "%Y%m%d"),
        ("%Y/%m/%d", "%Y/%m/%d")
    ]

    private struct Column {
        var filled = 0
        var dashes = 0
        var integer = true
        var number = true
        var grouped = false
        var leadingZero = false
        var trueFalse = true
        var yesNo = true
        var dates: [Bool] = Array(repeating: true, count: SchemaInference.dateCandidates.count)
        var anyDate = true
        var dateTime = true
        /// Every value looks like `2005.01` (KOSIS periods): a code, not the number 2005.01.
        var period = true
        /// The values seen, while all are distinct (a primary-key candidate): canonical integers
        /// by value, other text by a 64-bit hash. A collision can only hide a key, never suggest one.
        var values: IntegerSet? = IntegerSet()
        var distinct = 0
        var missing = false
    }

    /// Infers the schema of the CSV at `path`.
    public func infer(path: String) throws -> TableSchema {
        try infer(source: try CSVReader(path: path, options: readOptions))
    }

    /// Infers the schema of any source's records, from each value's text (`textValue`).
    public func infer(source: any RecordSource) throws -> TableSchema {
        var reader = source
        let names = reader.schema.fieldNames
        var columns = [Column](repeating: Column(), count: names.count)
        var rows = 0
        func observeRow(_ count: Int, _ cell: (Int, (UnsafeBufferPointer<UInt8>) -> Void) -> Void) throws {
            rows += 1
            // Cheap (one load): a SIGTERM stops a long inference within a few thousand rows.
            if rows & 1023 == 0 { try Termination.check() }
            for index in 0..<columns.count {
                if index < count {
                    cell(index) { observe($0, &columns[index]) }
                } else {
                    observe(.init(start: nil, count: 0), &columns[index])
                }
            }
        }
        try reader.forEach(
            raw: { raw in
                try observeRow(raw.fields.count) { index, body in
                    let field = raw.fields[index]
                    guard field.encoding == .doubledQuotes || field.encoding.isTyped else {
                        return body(
                            UnsafeBufferPointer(start: field.start, count: field.encoding == .null ? 0 : field.count))
                    }
                    var text = field.stringValue
                    text.withUTF8(body)
                }
            },
            record: { record in
                try observeRow(record.values.count) { index, body in
                    var text = record.values[index].textValue ?? ""
                    text.withUTF8(body)
                }
            }, onReject: { _ in })
        var missingValues = [""]
        var fields: [SchemaField] = []
        for (index, name) in names.enumerated() {
            let column = columns[index]
            var field = SchemaField(name: name)
            if reader.schema.originalLabels[index] != name { field.title = reader.schema.originalLabels[index] }
            let numeric = column.filled > 0 && !column.leadingZero && !column.period
            if column.filled == 0 {
                field.type = .string
            } else if let date = SchemaInference.dateCandidates.indices.first(where: { column.dates[$0] }) {
                field.type = .date
                field.format = SchemaInference.dateCandidates[date].format
            } else if numeric && column.integer {
                field.type = .integer
                if column.grouped { field.groupChar = "," }
            } else if numeric && column.number {
                field.type = .number
                if column.grouped { field.groupChar = "," }
            } else if column.trueFalse {
                field.type = .boolean
            } else if column.yesNo {
                field.type = .boolean
                field.trueValues = ["Y", "y"]
                field.falseValues = ["N", "n"]
            } else if column.dateTime {
                field.type = .datetime
            }
            if column.dashes > 0 && field.type != .string { missingValues = ["", "-"] }
            fields.append(field)
        }
        for index in fields.indices { fields[index].missingValues = missingValues }
        var schema = TableSchema(fields: fields, missingValues: missingValues)
        if rows > 1,
            let key = columns.indices.first(where: {
                columns[$0].values != nil && columns[$0].distinct == rows && !columns[$0].missing
                    && columns[$0].dashes == 0
            })
        {
            schema.primaryKey = [names[key]]
        }
        return schema
    }

    private func observe(_ bytes: UnsafeBufferPointer<UInt8>, _ column: inout Column) {
        if bytes.isEmpty {
            column.missing = true
            column.values = nil
            return
        }
        if column.values != nil { remember(bytes, &column) }
        if bytes.count == 1 && bytes[0] == UInt8(ascii: "-") {
            column.dashes += 1
            return
        }
        column.filled += 1
        if column.period { column.period = SchemaInference.isPeriod(bytes) }
        if column.integer || column.number { checkNumber(bytes, &column) }
        if column.trueFalse { column.trueFalse = SchemaInference.trueFalseWords.contains { $0.equals(bytes) } }
        if column.yesNo { column.yesNo = bytes.count == 1 && "YNyn".utf8.contains(bytes[0]) }
        // Dates are parsed from text; a column ruled out of every date form makes no more strings.
        guard column.anyDate || column.dateTime else { return }
        let text = String(decoding: bytes, as: UTF8.self)
        if column.anyDate {
            for (index, candidate) in SchemaInference.dateCandidates.enumerated() where column.dates[index] {
                column.dates[index] = DateParsing.date(text, format: candidate.format) != nil
            }
            column.anyDate = column.dates.contains(true)
        }
        if column.dateTime { column.dateTime = DateParsing.dateTime(text, format: "default") != nil }
    }

    private static let trueFalseWords = ["true", "false", "True", "False", "TRUE", "FALSE"].map { Array($0.utf8) }

    /// Adds a value to the column's distinct values, or gives them up at the first repeat (and
    /// past a million: a key is not suggested for larger tables).
    private func remember(_ bytes: UnsafeBufferPointer<UInt8>, _ column: inout Column) {
        let key: Int64
        if let value = SchemaInference.canonicalInteger(bytes) {
            key = value
        } else {
            var hasher = Hasher()
            hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
            key = Int64(hasher.finalize())
        }
        if column.distinct >= 1_000_000 || !column.values!.insert(key) {
            column.values = nil
        } else {
            column.distinct += 1
        }
    }

    /// Digits without a leading zero (or `0` itself) that fit 64 bits: text and value correspond one to one.
    private static func canonicalInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard bytes.count <= 18, bytes[0] != 0x30 || bytes.count == 1 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int64(byte - 0x30)
        }
        return value
    }

    /// `YYYY.MM` with a real month: a statistical period, which must keep its trailing zero.
    static func isPeriod(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { isPeriod($0) }
    }

    static func isPeriod(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "."), isDigits(bytes, 0..<4), isDigits(bytes, 5..<7) else {
            return false
        }
        let month = Int(bytes[5] - 0x30) * 10 + Int(bytes[6] - 0x30)
        return (1...12).contains(month)
    }

    private static func isDigits(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        range.allSatisfy { bytes[$0] >= 0x30 && bytes[$0] <= 0x39 }
    }

    /// Plain or grouped (`1,234,000`) integers and decimals; a leading zero makes the column text.
    private func checkNumber(_ bytes: UnsafeBufferPointer<UInt8>, _ column: inout Column) {
        func notNumeric() {
            column.integer = false
            column.number = false
        }
        let start = bytes[0] == UInt8(ascii: "-") ? 1 : 0
        var point: Int?
        for index in start..<bytes.count where bytes[index] == UInt8(ascii: ".") {
            guard point == nil else { return notNumeric() }
            point = index
        }
        let wholeEnd = point ?? bytes.count
        guard wholeEnd > start else { return notNumeric() }
        if let point {
            column.integer = false
            guard point + 1 < bytes.count, SchemaInference.isDigits(bytes, point + 1..<bytes.count) else {
                return notNumeric()
            }
        }
        let whole = start..<wholeEnd
        if whole.contains(where: { bytes[$0] == UInt8(ascii: ",") }) {
            // Groups: one to three digits, then threes.
            var groupLength = 0
            var first = true
            for index in whole {
                if bytes[index] == UInt8(ascii: ",") {
                    guard (first ? 1...3 : 3...3).contains(groupLength) else { return notNumeric() }
                    first = false
                    groupLength = 0
                } else {
                    guard bytes[index] >= 0x30 && bytes[index] <= 0x39 else { return notNumeric() }
                    groupLength += 1
                }
            }
            guard groupLength == 3 else { return notNumeric() }
            column.grouped = true
            return
        }
        guard SchemaInference.isDigits(bytes, whole) else { return notNumeric() }
        if whole.count > 1 && bytes[start] == 0x30 { column.leadingZero = true }
        // Past 18 digits, only the parse says whether it fits 64 bits.
        if column.integer && whole.count > 18 && Int64(String(decoding: bytes, as: UTF8.self)) == nil {
            column.integer = false
        }
    }
}
