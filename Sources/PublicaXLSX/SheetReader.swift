import Foundation
import PublicaCore
import PublicaXML

/// Pulls a sheet's rows: inflated chunks from an ``EntryStream`` go into the SAX parser until
/// the handler has rows, which are then cut to the range and, with `merged: fill`, filled.
final class SheetReader {
    /// `file.xlsx:Sheet`, the records' provenance.
    let location: String
    let handler: SheetHandler
    private let parser: XMLEventParser
    private let stream: EntryStream
    private let range: CellRange?
    private var merges: MergeFiller?
    private var queue: [SheetRow] = []
    private var queueIndex = 0
    private var ended = false

    init(workbook: Workbook, sheet: Workbook.Sheet, options: XLSXReadOptions) throws {
        location = "\(workbook.path):\(sheet.name)"
        range = options.range
        guard workbook.package.has(sheet.part) else {
            throw PublicaError(
                .data, "the sheet's part \(sheet.part) is not in the zip", at: SourceLocation(file: location))
        }
        if options.fillsMergedCells {
            merges = MergeFiller(ranges: try SheetReader.mergedRanges(workbook, sheet, location: location))
        }
        handler = SheetHandler(
            location: location, sharedStrings: workbook.sharedStrings, styles: workbook.styles,
            uses1904: workbook.uses1904, lastRow: options.range?.last.row ?? Int.max)
        parser = try XMLEventParser(source: "\(workbook.path):\(sheet.part)", handler: handler)
        stream = EntryStream(package: workbook.package, name: sheet.part)
    }

    /// The merged ranges sit after the rows in the sheet's XML, so filling needs them first:
    /// one extra streaming pass that keeps only them.
    private static func mergedRanges(_ workbook: Workbook, _ sheet: Workbook.Sheet, location: String) throws
        -> [CellRange]
    {
        let scan = SheetHandler(
            location: location, sharedStrings: [], styles: [], uses1904: false, lastRow: .max, keepsRows: false)
        let parser = try XMLEventParser(source: "\(workbook.path):\(sheet.part)", handler: scan)
        try workbook.package.inflate(sheet.part) { chunk in try chunk.withUnsafeBytes { try parser.parse($0) } }
        try parser.parse(nil)
        return scan.mergedRanges
    }

    /// The next row (blank ones included, so the caller can count them), nil at the end.
    func nextRow() throws -> SheetRow? {
        while queueIndex == queue.count {
            guard !ended else { return nil }
            try readMore()
        }
        queueIndex += 1
        return queue[queueIndex - 1]
    }

    private func readMore() throws {
        queue.removeAll(keepingCapacity: true)
        queueIndex = 0
        if handler.pastLastRow {
            ended = true
        } else if let chunk = try stream.next() {
            try chunk.withUnsafeBytes { try parser.parse($0) }
        } else {
            try parser.parse(nil)
            ended = true
        }
        if let failure = handler.failure { throw failure }
        for var row in handler.takeRows() {
            merges?.fill(&row)
            if let range {
                guard range.first.row <= row.number && row.number <= range.last.row else { continue }
                row.cells = row.cells.compactMap { cell in
                    guard range.first.column <= cell.column && cell.column <= range.last.column else { return nil }
                    return (cell.column - range.first.column + 1, cell.value)
                }
                row.problems = row.problems.filter { range.contains($0.cell) }
            }
            queue.append(row)
        }
    }
}

/// `merged: fill`: remembers each merged range's top-left value as its first row passes and
/// gives it to the range's other cells.
struct MergeFiller {
    private let ranges: [CellRange]
    private var values: [CellRange: FieldValue] = [:]

    init(ranges: [CellRange]) { self.ranges = ranges }

    mutating func fill(_ row: inout SheetRow) {
        var filled = false
        for range in ranges where range.first.row <= row.number && row.number <= range.last.row {
            if row.number == range.first.row {
                values[range] = row.cells.first(where: { $0.column == range.first.column })?.value ?? .null
            }
            guard let value = values[range], value != .null else { continue }
            for column in range.first.column...range.last.column
            where !(row.number == range.first.row && column == range.first.column) {
                row.cells.removeAll { $0.column == column }
                row.cells.append((column, value))
                filled = true
            }
            if row.number == range.last.row { values[range] = nil }
        }
        if filled { row.cells.sort { $0.column < $1.column } }
    }
}
