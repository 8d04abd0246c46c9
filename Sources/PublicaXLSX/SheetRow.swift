import PublicaCore

/// One `<row>` of a sheet as read: its number and its cells' values, sparse.
struct SheetRow {
    /// The sheet's 1-based row number (the `r` attribute, or one past the previous row).
    var number: Int
    /// The cells with a value, by 1-based column, in column order.
    var cells: [(column: Int, value: FieldValue)] = []
    /// Cells that hold an error (`#N/A`, `#DIV/0!`) or a value Publica cannot make.
    var problems: [(cell: CellReference, message: String)] = []

    var isBlank: Bool { cells.isEmpty && problems.isEmpty }
    var lastColumn: Int { max(cells.last?.column ?? 0, problems.map(\.cell.column).max() ?? 0) }
}
