/// A cell as the sheet stores it, before decoding: its reference, type, style and where its
/// text lies in its batch's bytes.
struct RawCell {
    var reference: CellReference
    var type: CellType
    var style: Int
    var text: Range<Int>
}

/// Rows as parsed, in three flat arrays (rows, cells, the cells' text bytes) so a batch costs
/// the parse three allocations, not one a row and one a cell.
struct RawRows {
    /// Each row's number and its cells' range in ``cells``.
    var rows: [(number: Int, cells: Range<Int>)] = []
    var cells: [RawCell] = []
    var bytes: [UInt8] = []

    init() {}

    /// An empty batch with room for as many rows, cells and bytes as `previous` held.
    init(reservingLike previous: RawRows) {
        rows.reserveCapacity(previous.rows.count)
        cells.reserveCapacity(previous.cells.count)
        bytes.reserveCapacity(previous.bytes.count)
    }

    /// Closes row `number` over the cells appended since the previous row.
    mutating func endRow(_ number: Int) {
        rows.append((number, (rows.last?.cells.upperBound ?? 0)..<cells.count))
    }
}
