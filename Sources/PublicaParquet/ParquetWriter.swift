import PublicaCore
import PublicaExport
import PublicaJSON

/// Writes records into a Parquet file (`.parquet`): one flat table, columns typed from the
/// schema (``ParquetColumnType``), every column OPTIONAL (an empty field or a missing value is
/// null), strings dictionary-encoded, pages compressed with Zstandard.
///
/// Streaming: the rows of one row group are held (at most ``ParquetLayout/rowGroupRows`` rows
/// or about ``ParquetLayout/rowGroupBytes``), then written out column by column, with their
/// statistics, and dropped. The footer is written last; the file goes through its
/// ``OutputFile`` and is moved into place only once complete, like every output.
public struct ParquetWriter: RecordSink {
    let file: OutputFile
    let description: TableDescription?
    let layout: ParquetLayout
    var table: ParquetTable?

    /// A writer into `file`; `description` types the columns (nil: every column a string).
    public init(file: OutputFile, description: TableDescription?, layout: ParquetLayout = ParquetLayout()) {
        self.file = file
        self.description = description
        self.layout = layout
    }

    /// Writes the magic number and sets up a column per field.
    public mutating func begin(schema: RecordSchema) throws {
        table = try ParquetTable(file: file, schema: schema, description: description, layout: layout)
    }

    /// Adds a record.
    public mutating func write(_ record: Record) throws { try table!.append(record) }

    /// Adds a record from the reader's bytes.
    public mutating func write(raw record: RawRecord) throws { try table!.append(raw: record) }

    /// Writes the last row group and the footer, and moves the file into place.
    public mutating func finish() throws {
        try table?.finish()
        table = nil
    }
}

/// The table a ``ParquetWriter`` fills: its columns, the row group being held, the row groups
/// written so far (for the footer).
final class ParquetTable {
    private let output: ParquetOutput
    /// The columns, kept in place (structs reached through the pointer: no reference counting
    /// or exclusivity checks per value).
    private let columns: UnsafeMutablePointer<ParquetColumn>
    private let columnCount: Int
    private let layout: ParquetLayout
    private var rowGroups: [ParquetMetadata.RowGroup] = []
    private var rows = 0
    private var rowsInGroup = 0
    /// A field with doubled quotes, resolved.
    private var scratch = ByteBuffer(capacity: 256)

    init(file: OutputFile, schema: RecordSchema, description: TableDescription?, layout: ParquetLayout) throws {
        output = try ParquetOutput(file: file)
        self.layout = layout
        columnCount = schema.fieldNames.count
        columns = .allocate(capacity: max(1, columnCount))
        for (index, name) in schema.fieldNames.enumerated() {
            (columns + index).initialize(
                to: ParquetColumn(name: name, type: ParquetColumnType(description?.field(named: name)), layout: layout))
        }
        try output.emit(Array("PAR1".utf8))
    }

    deinit {
        columns.deinitialize(count: columnCount)
        columns.deallocate()
    }

    func append(raw record: RawRecord) throws {
        let columns = columns
        for index in 0..<columnCount {
            let field = index < record.fields.count ? record.fields[index] : .null
            do throws(ValueProblem) {
                switch field.encoding {
                case .null: columns[index].appendNull()
                case .doubledQuotes:
                    decode(field)
                    try columns[index].append(scratch.bytes, place: record.provenance)
                default:
                    try columns[index].append(
                        UnsafeBufferPointer(start: field.start, count: field.count), place: record.provenance)
                }
            } catch {
                throw refusal(error, field.stringValue, column: columns[index].name, at: record.provenance)
            }
        }
        try endRow()
    }

    func append(_ record: Record) throws {
        for index in 0..<columnCount {
            let value = index < record.values.count ? record.values[index] : .null
            do throws(ValueProblem) {
                switch value {
                case .null: columns[index].appendNull()
                case .integer(let number) where columns[index].type == .integer: columns[index].append(integer: number)
                case .text(let text): try append(text, to: &columns[index], place: record.provenance)
                default: try append(value.textValue ?? "", to: &columns[index], place: record.provenance)
                }
            } catch {
                throw refusal(error, value.textValue ?? "", column: columns[index].name, at: record.provenance)
            }
        }
        try endRow()
    }

    /// A typed value's text into its column (parsed as the reader's bytes would be).
    private func append(_ text: String, to column: inout ParquetColumn, place: Provenance) throws(ValueProblem) {
        var text = text
        let problem: ValueProblem? = text.withUTF8 { bytes in
            do throws(ValueProblem) {
                try column.append(bytes, place: place)
                return nil
            } catch {
                return error
            }
        }
        if let problem { throw problem }
    }

    private func refusal(_ problem: ValueProblem, _ text: String, column: String, at place: Provenance)
        -> PublicaError
    {
        let shown = text.count > 60 ? String(text.prefix(60)) + "…" : text
        return PublicaError(
            .data, "\"\(shown)\" in field \"\(column)\" \(problem.message(field: column))",
            at: place.location(field: column))
    }

    private func endRow() throws {
        rows += 1
        rowsInGroup += 1
        // The bytes are summed every row (a few additions a column): rows of long strings must
        // not carry a group far past its target between checks.
        if rowsInGroup >= layout.rowGroupRows || bufferedBytes >= layout.rowGroupBytes {
            try writeRowGroup()
        }
    }

    /// The memory the row group's values take, roughly.
    private var bufferedBytes: Int { (0..<columnCount).reduce(0) { $0 + columns[$1].bufferedBytes } }

    private func writeRowGroup() throws {
        guard rowsInGroup > 0 else { return }
        let start = output.offset
        let chunks = try (0..<columnCount).map { try columns[$0].writeChunk(into: output) }
        rowGroups.append(ParquetMetadata.RowGroup(columns: chunks, rows: Int64(rowsInGroup), fileOffset: start))
        rowsInGroup = 0
    }

    func finish() throws {
        try writeRowGroup()
        let footer = ParquetMetadata.footer(
            columns: (0..<columnCount).map { (columns[$0].name, columns[$0].type) }, rowGroups: rowGroups,
            rows: Int64(rows))
        try output.emit(footer)
        try output.emit(withUnsafeBytes(of: UInt32(footer.count).littleEndian) { Array($0) })
        try output.emit(Array("PAR1".utf8))
        try output.commit()
    }

    /// A field with doubled quotes, each `""` made one `"`, into ``scratch``.
    private func decode(_ field: RawRecord.Field) {
        scratch.removeAll()
        var index = 0
        while index < field.count {
            let byte = field.start[index]
            scratch.append(byte)
            index &+= byte == UInt8(ascii: "\"") && index &+ 1 < field.count && field.start[index &+ 1] == byte ? 2 : 1
        }
    }
}
