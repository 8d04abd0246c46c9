import PublicaCore
import PublicaIngest

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
        ("default", "%Y-%m-%d"), ("%Y.%m.%d", "%Y.%m.%d"), ("%Y년 %m월 %d일", "%Y년 %m월 %d일"), ("%Y%m%d", "%Y%m%d"), ("%Y/%m/%d", "%Y/%m/%d"),
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
        var dateTime = true
        /// Every value looks like `2005.01` (KOSIS periods): a code, not the number 2005.01.
        var period = true
        var values: Set<String>? = []
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
        while let record = try reader.next(onReject: { _ in }) {
            rows += 1
            // Cheap (one load): a SIGTERM stops a long inference within a few thousand rows.
            if rows & 1023 == 0 { try Termination.check() }
            for index in 0..<columns.count {
                let text = index < record.values.count ? record.values[index].textValue ?? "" : ""
                observe(text, &columns[index])
            }
        }
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
        if rows > 1, let key = columns.indices.first(where: {
            columns[$0].values?.count == rows && !columns[$0].missing && columns[$0].dashes == 0
        }) {
            schema.primaryKey = [names[key]]
        }
        return schema
    }

    private func observe(_ text: String, _ column: inout Column) {
        if text.isEmpty {
            column.missing = true
            column.values = nil
            return
        }
        if column.values != nil {
            if column.values!.count >= 1_000_000 || !column.values!.insert(text).inserted { column.values = nil }
        }
        if text == "-" {
            column.dashes += 1
            return
        }
        column.filled += 1
        if column.period { column.period = SchemaInference.isPeriod(text) }
        if column.integer || column.number { checkNumber(text, &column) }
        if column.trueFalse { column.trueFalse = ["true", "false", "True", "False", "TRUE", "FALSE"].contains(text) }
        if column.yesNo { column.yesNo = ["Y", "N", "y", "n"].contains(text) }
        for (index, candidate) in SchemaInference.dateCandidates.enumerated() where column.dates[index] {
            column.dates[index] = DateParsing.date(text, format: candidate.format) != nil
        }
        if column.dateTime { column.dateTime = DateParsing.dateTime(text, format: "default") != nil }
    }

    /// `YYYY.MM` with a real month: a statistical period, which must keep its trailing zero.
    static func isPeriod(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let month = Int(parts[1]), Int(parts[0]) != nil
        else { return false }
        return (1...12).contains(month)
    }

    /// Plain or grouped (`1,234,000`) integers and decimals; a leading zero makes the column text.
    private func checkNumber(_ text: String, _ column: inout Column) {
        var digits = Substring(text)
        if digits.first == "-" { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty else {
            column.integer = false
            column.number = false
            return
        }
        if parts.count == 2 { column.integer = false }
        if parts.count == 2 && (parts[1].isEmpty || !parts[1].allSatisfy({ $0.isASCII && $0.isNumber })) {
            column.number = false
            column.integer = false
            return
        }
        if whole.contains(",") {
            let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
            let valid = (1...3).contains(groups[0].count) && groups.dropFirst().allSatisfy { $0.count == 3 }
                && groups.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
            if valid { column.grouped = true } else { column.integer = false; column.number = false }
            return
        }
        guard whole.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            column.integer = false
            column.number = false
            return
        }
        if whole.count > 1 && whole.first == "0" { column.leadingZero = true }
        if column.integer && Int64(text) == nil { column.integer = false }
    }
}
