import Foundation
import PublicaCore
import PublicaIngest
import PublicaJSON
import PublicaXML

/// Reads one sheet of an `.xlsx` workbook as records, streaming the sheet's XML through libxml2's
/// SAX parser as it is inflated, so memory stays constant whatever the sheet's length (the
/// shared-strings table is the one thing held; its size is in ``notes``).
///
/// Typed cells keep their type: numbers are exact decimals or integers written as the cell's
/// text, dated formats give dates, booleans are booleans; text cells stay text (a code `01234`
/// stored as a string keeps its zero). Each record's provenance is `file.xlsx:Sheet` and the
/// sheet's row number; error cells (`#N/A`) reject their row naming `file.xlsx:Sheet!B7`.
public final class XLSXRecordSource: RecordSource {
    /// The file's base name without its extension, for output names.
    public let resourceName: String
    /// The fields: the header row's labels (`field_N` for a blank one or a column past it).
    public private(set) var schema = RecordSchema(fieldNames: [])
    /// What the reader decided or found: the sheet, the header row, the shared strings' size,
    /// formulas without a cached value.
    public private(set) var notes: [String] = []
    /// The sheet's name.
    public let sheetName: String

    private let options: XLSXReadOptions
    private let reader: SheetReader
    private var pending: [SheetRow] = []
    private var pendingIndex = 0
    private var recordNumber = 0
    private var blankRows = 0

    /// Opens `path`, picks the sheet, and reads ahead to the header and the field count.
    public init(path: String, options: XLSXReadOptions) throws {
        guard path != "-" else {
            throw PublicaError(
                .usage, "an .xlsx workbook is a zip and cannot be read from standard input; give its path")
        }
        self.options = options
        resourceName = SourceOptions.resourceName(for: path)
        let workbook = try Workbook(path: path, limits: options.limits)
        let sheet = try workbook.sheet(named: options.sheet)
        sheetName = sheet.name
        reader = try SheetReader(workbook: workbook, sheet: sheet, options: options)
        notes.append(
            "sheet '\(sheet.name)' (of \(workbook.sheets.map { "'\($0.name)'" }.joined(separator: ", "))); "
                + "shared strings: \(reader.sharedStrings.strings.count) held in memory "
                + "(\(ReadLimits.describe(reader.sharedStrings.byteCount)))")
        try readHeader()
    }

    /// The counters for reports: blank rows skipped, formulas, formulas without a cached value.
    public var counters: [(name: String, value: Int)] {
        [
            ("blank rows", blankRows), ("formula cells", reader.formulaCount),
            ("formulas without a cached value", reader.formulasWithoutValue)
        ]
    }

    private func readHeader() throws {
        var ahead: [SheetRow] = []
        while ahead.count < options.sampleRows + options.headerRow + options.headerRows + 20,
            let row = try reader.nextRow()
        {
            ahead.append(row)
        }
        let first = options.range?.first.row ?? 1
        var headerNumber: Int?
        if options.hasHeader {
            headerNumber = first + options.headerRow - 1
            if options.findsHeaderRow {
                headerNumber = HeaderFinder.headerRow(ahead) ?? headerNumber
                notes.append("header row found at row \(headerNumber!)")
            }
        }
        var labels: [String] = []
        let headerRows = max(options.headerRows, 1)
        if let headerNumber {
            let rows = (headerNumber..<(headerNumber + headerRows)).map { number in
                guard let header = ahead.first(where: { $0.number == number }) else { return [String]() }
                var labels = Array(repeating: "", count: header.lastColumn)
                for cell in header.cells { labels[cell.column - 1] = cell.value.textValue ?? "" }
                return labels
            }
            labels = headerRows == 1 ? rows[0] : HeaderLabels.combine(rows)
            if headerRows > 1 {
                notes.append("header: rows \(headerNumber)-\(headerNumber + headerRows - 1) combined per column")
            }
        }
        let dataStart = (headerNumber.map { $0 + headerRows } ?? first) + options.skipRows
        pending = ahead.filter { $0.number >= dataStart }
        let width = max(labels.count, pending.prefix(options.sampleRows).map(\.lastColumn).max() ?? 0, 1)
        labels += Array(repeating: "", count: width - labels.count)
        schema = RecordSchema(labels: labels)
    }

    /// The next row as a record, padded with nulls; a row with an error cell, or cells past the
    /// fields, goes to `onReject`. Nil at the sheet's end.
    public func next(onReject: (Rejection) throws -> Void) throws -> Record? {
        while true {
            if pendingIndex == pending.count {
                pending.removeAll(keepingCapacity: true)
                pendingIndex = 0
                guard let row = try reader.nextRow() else {
                    finishNotes()
                    return nil
                }
                pending.append(row)
            }
            let row = pending[pendingIndex]
            pendingIndex += 1
            if row.isBlank {
                blankRows += 1
                continue
            }
            recordNumber += 1
            let provenance = Provenance(source: reader.location, line: row.number, recordNumber: recordNumber)
            var values = [FieldValue](repeating: .null, count: schema.count)
            var problems = row.problems
            for cell in row.cells {
                if cell.column <= values.count {
                    values[cell.column - 1] = cell.value
                } else {
                    problems.append(
                        (
                            CellReference(column: cell.column + columnOffset, row: row.number),
                            "the cell lies past the \(schema.count) fields read from the header and the first rows"
                        ))
                }
            }
            if let problem = problems.first {
                try onReject(rejection(values, provenance: provenance, problem: problem))
                continue
            }
            return Record(values: values, provenance: provenance)
        }
    }

    private func rejection(
        _ values: [FieldValue], provenance: Provenance, problem: (cell: CellReference, message: String)
    ) -> Rejection {
        let column = problem.cell.column - columnOffset
        let field = column <= schema.count ? schema.fieldNames[column - 1] : nil
        return Rejection(
            rawValues: values.map { $0.textValue ?? "" }, fieldNames: schema.fieldNames, provenance: provenance,
            field: field, rule: "xlsx-cell",
            message: "\(reader.location)!\(problem.cell): \(problem.message)")
    }

    private var finishedNotes = false
    /// Columns before the range's first: cells are numbered from the range's first column.
    private var columnOffset: Int { (options.range?.first.column ?? 1) - 1 }

    private func finishNotes() {
        guard !finishedNotes else { return }
        finishedNotes = true
        if let first = reader.firstFormulaWithoutValue {
            notes.append(
                "\(reader.formulasWithoutValue) formula cell(s) have no cached value and are missing (first: "
                    + "\(reader.location)!\(first)); recalculate and save the workbook in a spreadsheet program")
        }
    }
}
