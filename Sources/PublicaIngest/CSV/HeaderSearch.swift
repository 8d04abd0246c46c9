/// `header_row: auto` for any tabular source, by the rule delimited text uses (see
/// `CSVSniffer.headerLine`): the data's field count is the most common one in the later half of
/// the rows, and the header is the first row of that count followed by another.
public enum HeaderSearch {
    /// The header's row number among `rows` (each a row number and its field count, 0 for a
    /// blank row); nil when the rows do not settle on one field count or there are none.
    public static func headerRow(_ rows: [(number: Int, fields: Int)]) -> Int? {
        let lines = rows.map { CSVSniffer.Line(number: $0.number, fields: $0.fields) }
        guard case .success(let number) = CSVSniffer.headerLine(lines) else { return nil }
        return number
    }
}
