import PublicaCore

/// How an XLSX source reads its workbook.
public struct XLSXReadOptions: Sendable {
    /// The sheet: its name, or its 1-based position among the sheets; nil for the first.
    public var sheet: String?
    /// Only these cells are read; nil for the whole sheet.
    public var range: CellRange?
    /// `merged: fill`: every cell of a merged range gets its top-left value; by default (`keep`)
    /// only the top-left cell has it and the others are missing, as a spreadsheet shows them.
    public var fillsMergedCells = false
    /// False when the first row is data (fields are then `field_1`, `field_2`…).
    public var hasHeader = true
    /// The header's 1-based row, counted from the range's first row (the sheet's row without one).
    public var headerRow = 1
    /// `header_row: auto`: the header is found as for delimited text (the first row below title
    /// rows with the data's cell count).
    public var findsHeaderRow = false
    /// How many rows the header spans (default 1), from ``headerRow`` down: their labels are
    /// combined per column as for delimited text (see `HeaderLabels` in PublicaIngest), so a
    /// merged group cell over its columns labels each of them.
    public var headerRows = 1
    /// Rows to skip after the header.
    public var skipRows = 0
    /// Rows read ahead to fix the field count (rows wider than all of them are rejected).
    public var sampleRows = 1_000
    /// Zip-bomb limits.
    public var limits = XLSXLimits()

    /// Options with every default.
    public init() {}
}
