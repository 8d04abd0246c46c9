import Foundation
import PublicaCore
import PublicaXML

/// Pulls a sheet's rows. A parsing thread takes the inflated chunks of an ``EntryStream`` (itself
/// inflated on another thread) through the SAX parser and hands the rows over in batches; the
/// reader decodes their cells, cuts them to the range and, with `merged: fill`, fills them. So
/// inflating, parsing and what the caller does with the records (rendering them) use separate
/// cores.
final class SheetReader {
    /// `file.xlsx:Sheet`, the records' provenance.
    let location: String
    /// Formula cells, and those without a cached value (the first of them), as of the rows taken.
    private(set) var formulaCount = 0
    private(set) var formulasWithoutValue = 0
    private(set) var firstFormulaWithoutValue: CellReference?
    /// The workbook's shared strings, which the rows' cells refer to.
    let sharedStrings: Workbook.SharedStrings
    private let styles: [NumberFormat.Kind]
    private let uses1904: Bool
    private let channel: HandOver<RowBatch>
    private let worker: WorkerThread
    private let range: CellRange?
    private var merges: MergeFiller?
    private var queue: [SheetRow] = []
    private var queueIndex = 0
    private var ended = false

    /// Rows parsed from one or more chunks, with the handler's counters after them.
    struct RowBatch {
        var rows: RawRows
        var formulaCount: Int
        var formulasWithoutValue: Int
        var firstFormulaWithoutValue: CellReference?
    }

    /// Opens the sheet: its merged ranges are found on a second thread while this one reads
    /// the shared strings (which the rows need), then the rows start.
    init(workbook: Workbook, sheet: Workbook.Sheet, options: XLSXReadOptions) throws {
        location = "\(workbook.path):\(sheet.name)"
        range = options.range
        guard workbook.package.has(sheet.part) else {
            throw PublicaError(
                .data, "the sheet's part \(sheet.part) is not in the zip", at: SourceLocation(file: location))
        }
        let location = location
        let (strings, ranges) = try WorkerThread.both(
            workbook.loadSharedStrings, alongside: { try SheetReader.mergedRanges(workbook, sheet, location: location) }
        )
        sharedStrings = strings
        styles = workbook.styles
        uses1904 = workbook.uses1904
        if !ranges.isEmpty { merges = MergeFiller(ranges: ranges, fills: options.fillsMergedCells) }
        let handler = SheetHandler(location: location, lastRow: options.range?.last.row ?? Int.max)
        let parser = try XMLEventParser(source: "\(workbook.path):\(sheet.part)", handler: handler)
        let channel = HandOver<RowBatch>(depth: 4)
        self.channel = channel
        let package = workbook.package
        let part = sheet.part
        // The handler and parser belong to the thread from here on; only batches come back.
        worker = WorkerThread {
            do {
                let stream = EntryStream(package: package, name: part)
                var ended = false
                while !ended {
                    if handler.pastLastRow {
                        ended = true
                    } else if let chunk = try stream.next() {
                        try chunk.withUnsafeBytes { try parser.parse($0) }
                    } else {
                        try parser.parse(nil)
                        ended = true
                    }
                    if let failure = handler.failure { throw failure }
                    let rows = handler.takeRows()
                    if rows.rows.isEmpty && !ended { continue }
                    try channel.put(
                        RowBatch(
                            rows: rows, formulaCount: handler.formulaCount,
                            formulasWithoutValue: handler.formulasWithoutValue,
                            firstFormulaWithoutValue: handler.firstFormulaWithoutValue))
                }
                channel.finish(nil)
            } catch is HandOverCancelled {
                channel.finish(nil)
            } catch {
                channel.finish(error)
            }
        }
    }

    deinit {
        channel.cancel()
        worker.join()
    }

    /// The merged ranges sit after the rows in the sheet's XML, and a merged range's cells other
    /// than its top-left one must be known before the rows pass (they are missing, as a spreadsheet
    /// shows them, or filled). So: one inflation that only looks for `mergeCell` in the bytes, and
    /// only when there is one, a streaming parse that keeps nothing but the ranges.
    private static func mergedRanges(_ workbook: Workbook, _ sheet: Workbook.Sheet, location: String) throws
        -> [CellRange]
    {
        let needle = Array("mergeCell".utf8)
        var carry: [UInt8] = []
        var found = false
        try workbook.package.inflate(sheet.part, checksums: false) { chunk in
            guard !found else { return }
            // The needle across the chunk boundary: the last bytes before it and the first of it.
            found =
                SheetReader.contains(carry + chunk.prefix(needle.count - 1), needle)
                || SheetReader.contains(chunk, needle)
            carry = Array(chunk.suffix(needle.count - 1))
        }
        guard found else { return [] }
        let scan = SheetHandler(location: location, lastRow: .max, keepsRows: false)
        let parser = try XMLEventParser(source: "\(workbook.path):\(sheet.part)", handler: scan)
        try workbook.package.inflate(sheet.part, checksums: false) { chunk in
            try chunk.withUnsafeBytes { try parser.parse($0) }
        }
        try parser.parse(nil)
        return scan.mergedRanges
    }

    /// Whether `needle` occurs in `bytes`, by `memchr` on its first byte (the sheet's bytes
    /// pass here once, before the rows are read).
    static func contains(_ bytes: some ContiguousBytes, _ needle: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count >= needle.count else { return false }
            var position = 0
            let last = raw.count - needle.count
            while position <= last {
                guard let hit = memchr(base + position, Int32(needle[0]), last - position + 1) else { return false }
                let offset = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + offset, needle, needle.count) == 0 { return true }
                position = offset + 1
            }
            return false
        }
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
        guard let batch = try channel.take() else {
            ended = true
            return
        }
        formulaCount = batch.formulaCount
        formulasWithoutValue = batch.formulasWithoutValue
        firstFormulaWithoutValue = batch.firstFormulaWithoutValue
        try batch.rows.bytes.withUnsafeBufferPointer { bytes in
            for raw in batch.rows.rows { try take(decoded(raw, batch.rows.cells, bytes)) }
        }
    }

    /// A parsed row with its cells decoded: values, problems (error cells), or a stop (a shared
    /// string that is not there).
    private func decoded(
        _ raw: (number: Int, cells: Range<Int>), _ cells: [RawCell], _ bytes: UnsafeBufferPointer<UInt8>
    ) throws -> SheetRow {
        var row = SheetRow(number: raw.number)
        row.cells.reserveCapacity(raw.cells.count)
        for index in raw.cells {
            let cell = cells[index]
            switch CellDecoder.decode(
                type: cell.type, text: UnsafeBufferPointer(rebasing: bytes[cell.text]),
                kind: styles.indices.contains(cell.style) ? styles[cell.style] : .number,
                sharedStrings: sharedStrings.strings, uses1904: uses1904)
            {
            case .value(let value):
                row.cells.append((cell.reference.column, value))
            case .problem(let message):
                row.problems.append((cell.reference, message))
            case .fatal(let message):
                throw PublicaError(.data, message, at: SourceLocation(file: "\(location)!\(cell.reference)"))
            }
        }
        return row
    }

    /// Queues a decoded row, filled and cut to the range.
    private func take(_ row: SheetRow) {
        var row = row
        merges?.fill(&row)
        if let range {
            guard range.first.row <= row.number && row.number <= range.last.row else { return }
            row.cells = row.cells.compactMap { cell in
                guard range.first.column <= cell.column && cell.column <= range.last.column else { return nil }
                return (cell.column - range.first.column + 1, cell.value)
            }
            row.problems = row.problems.filter { range.contains($0.cell) }
        }
        queue.append(row)
    }
}

/// A merged range's cells other than the top-left one: missing (as a spreadsheet shows them,
/// whatever a producer left stored there), or with `merged: fill` given the top-left value.
struct MergeFiller {
    private let ranges: [CellRange]
    private let fills: Bool
    private var values: [CellRange: FieldValue] = [:]

    init(ranges: [CellRange], fills: Bool) {
        self.ranges = ranges
        self.fills = fills
    }

    mutating func fill(_ row: inout SheetRow) {
        for range in ranges where range.first.row <= row.number && row.number <= range.last.row {
            if row.number == range.first.row {
                values[range] = row.cells.first(where: { $0.column == range.first.column })?.value ?? .null
            }
            let isTopRow = row.number == range.first.row
            row.cells.removeAll {
                range.first.column <= $0.column && $0.column <= range.last.column
                    && !(isTopRow && $0.column == range.first.column)
            }
            row.problems.removeAll { range.contains($0.cell) && $0.cell != range.first }
            if fills, let value = values[range], value != .null {
                for column in range.first.column...range.last.column where !(isTopRow && column == range.first.column) {
                    row.cells.append((column, value))
                }
                row.cells.sort { $0.column < $1.column }
            }
            if row.number == range.last.row { values[range] = nil }
        }
    }
}
