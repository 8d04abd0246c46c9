import PublicaCore

/// A tab-separated table in a bulletin: the first row is the header; a column whose cells are
/// all ranks (`1위`) or numbers (`1,234`) is typed as integers (or exact decimals).
struct BulletinTable {
    let title: String?
    let rows: [BulletinText.Line]
    let rankSuffix: String

    func resource(name: String, path: String) -> Resource {
        let cells = rows.map {
            $0.text.split(separator: "\t", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
        }
        let width = cells.map(\.count).max() ?? 0
        let header = cells[0] + (cells[0].count..<width).map { "field_\($0 + 1)" }
        let body = cells.dropFirst().map { $0 + Array(repeating: "", count: width - $0.count) }
        let typed = (0..<width).map { column in typedColumn(body.map { $0[column] }) }
        var records: [Record] = []
        for (index, line) in rows.dropFirst().enumerated() {
            let values = (0..<width).map { typed[$0][index] }
            records.append(
                Record(
                    values: values + [.integer(Int64(line.number)), .integer(Int64(line.number))],
                    provenance: Provenance(source: path, line: line.number, recordNumber: index + 1)))
        }
        let schema = RecordSchema(
            fieldNames: FieldNames.makeUnique(header) + ["firstLine", "lastLine"],
            originalLabels: header + ["firstLine", "lastLine"])
        return Resource(name: name, schema: schema, records: records, title: title)
    }

    /// The column's values, typed when every non-empty cell is a number or a rank.
    private func typedColumn(_ column: [String]) -> [FieldValue] {
        let numbers = column.map { cell -> FieldValue? in
            if cell.isEmpty { return .null }
            var digits = cell
            if !rankSuffix.isEmpty && digits.hasSuffix(rankSuffix) {
                digits = String(digits.dropLast(rankSuffix.count))
            }
            let plain = digits.filter { $0 != "," }
            guard plain.first?.isNumber == true || plain.first == "-" else { return nil }
            if let integer = Int64(plain) { return .integer(integer) }
            return ExactDecimal(plain).map(FieldValue.decimal)
        }
        if numbers.allSatisfy({ $0 != nil }) && column.contains(where: { !$0.isEmpty }) { return numbers.map { $0! } }
        return column.map { $0.isEmpty ? .null : .text($0) }
    }
}
