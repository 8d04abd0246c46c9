/// An A1-style cell reference: 1-based column and row.
public struct CellReference: Sendable, Hashable, CustomStringConvertible {
    /// The 1-based column (A = 1).
    public var column: Int
    /// The 1-based row.
    public var row: Int

    /// A reference from its parts.
    public init(column: Int, row: Int) {
        self.column = column
        self.row = row
    }

    /// Parses `B7` (or `$B$7`); nil for anything else, or past Excel's XFD1048576.
    public init?(_ text: some StringProtocol) {
        self.init(utf8: text.utf8)
    }

    /// Parses the UTF-8 bytes of `B7` (or `$B$7`), as ``init(_:)`` does.
    public init?(utf8 bytes: some Sequence<UInt8>) {
        var column = 0
        var row = 0
        var sawDigit = false
        for byte in bytes where byte != UInt8(ascii: "$") {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                guard !sawDigit, column < 16_384 else { return nil }
                column = column * 26 + Int((byte & 0xDF) - UInt8(ascii: "A")) + 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigit = true
                row = row * 10 + Int(byte - UInt8(ascii: "0"))
                guard row <= 1_048_576 else { return nil }
            default:
                return nil
            }
        }
        guard column > 0, column <= 16_384, row > 0 else { return nil }
        self.init(column: column, row: row)
    }

    /// The column's letters: 1 → `A`, 27 → `AA`.
    public static func letters(_ column: Int) -> String {
        var column = column
        var letters: [UInt8] = []
        while column > 0 {
            column -= 1
            letters.append(UInt8(ascii: "A") + UInt8(column % 26))
            column /= 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }

    /// `B7`.
    public var description: String { CellReference.letters(column) + String(row) }
}

/// A rectangle of cells, `A5:K200` (a single cell `B2` is a one-cell range).
public struct CellRange: Sendable, Hashable, CustomStringConvertible {
    /// The top-left cell.
    public var first: CellReference
    /// The bottom-right cell.
    public var last: CellReference

    /// Parses `A5:K200` in either corner order; nil when either end is not a cell.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let start = CellReference(parts[0]),
            let end = CellReference(parts[parts.count - 1])
        else { return nil }
        first = CellReference(column: min(start.column, end.column), row: min(start.row, end.row))
        last = CellReference(column: max(start.column, end.column), row: max(start.row, end.row))
    }

    /// Whether the cell lies inside.
    public func contains(_ cell: CellReference) -> Bool {
        (first.row...last.row).contains(cell.row) && (first.column...last.column).contains(cell.column)
    }

    /// `A5:K200`.
    public var description: String { "\(first):\(last)" }
}
