/// A header that spans several rows, as one label per column, for any tabular source (delimited
/// text's `header_rows`, a sheet's): the rows' labels are joined per column with a space
/// (`2017` over `총인구 (명)` is `2017 총인구 (명)`); a blank cell of an upper row takes the value
/// to its left, as merged cells do, and a label repeated below is written once.
public enum HeaderLabels {
    /// One label per column from the header's rows, top row first (rows may differ in length;
    /// the widest sets the column count).
    public static func combine(_ rows: [[String]]) -> [String] {
        let width = rows.map(\.count).max() ?? 0
        var filled = rows.map { $0 + Array(repeating: "", count: width - $0.count) }
        for row in filled.indices.dropLast() {
            var left = ""
            for column in 0..<width {
                let label = filled[row][column].trimmingHeaderWhitespace
                if label.isEmpty { filled[row][column] = left } else { left = filled[row][column] }
            }
        }
        return (0..<width).map { column in
            var parts: [String] = []
            for row in filled {
                let part = row[column].trimmingHeaderWhitespace
                if !part.isEmpty && part != parts.last { parts.append(part) }
            }
            return parts.joined(separator: " ")
        }
    }
}

extension String {
    /// The text without leading and trailing spaces, tabs and U+3000 (for header labels).
    fileprivate var trimmingHeaderWhitespace: String {
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{3000}" }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
