import PublicaIngest

/// `header_row: auto` for a sheet: a row's field count is its last filled column, so title and
/// note rows above a table (one cell, or a few merged ones) are passed over as in delimited text.
enum HeaderFinder {
    static func headerRow(_ rows: [SheetRow]) -> Int? {
        HeaderSearch.headerRow(rows.map { (number: $0.number, fields: $0.lastColumn) })
    }
}
