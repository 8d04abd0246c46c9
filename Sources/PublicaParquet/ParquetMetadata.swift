import PublicaCore

/// The parts of Parquet's Thrift metadata (`parquet.thrift`) a flat table needs, with their
/// compact-protocol encodings: the schema, the row groups' column chunks and statistics, the
/// page headers.
enum ParquetMetadata {
    /// Physical types (`Type`).
    enum PhysicalType: Int32 {
        case boolean = 0, int32 = 1, int64 = 2, byteArray = 6, fixedLenByteArray = 7
    }

    /// Encodings (`Encoding`).
    enum Encoding: Int32 {
        case plain = 0, rle = 3, rleDictionary = 8
    }

    /// Page types (`PageType`).
    enum PageType: Int32 {
        case dataPage = 0, dictionaryPage = 2
    }

    /// `CompressionCodec.ZSTD`.
    static let zstd: Int32 = 6

    /// One column's statistics over a chunk: min and max in the column's PLAIN form (nil when
    /// unknown or too long), and its nulls.
    struct Statistics {
        var min: [UInt8]?
        var max: [UInt8]?
        var nullCount: Int64
    }

    /// A written column chunk, as its footer entry describes it.
    struct ColumnChunk {
        var column: ParquetColumnType
        var name: String
        var encodings: [Encoding]
        var values: Int64
        var uncompressedSize: Int64
        var compressedSize: Int64
        var dataPageOffset: Int64
        var dictionaryPageOffset: Int64?
        var statistics: Statistics
    }

    /// A written row group.
    struct RowGroup {
        var columns: [ColumnChunk]
        var rows: Int64
        var fileOffset: Int64
    }

    /// The file's footer (`FileMetaData`), encoded.
    static func footer(columns: [(name: String, type: ParquetColumnType)], rowGroups: [RowGroup], rows: Int64)
        -> [UInt8]
    {
        var writer = ThriftCompactWriter()
        writer.i32(1, 2)  // version
        writer.list(2, structs: columns.count + 1) { element, index in
            if index == 0 {
                element.string(4, "schema")
                element.i32(5, Int32(columns.count))
            } else {
                schemaElement(&element, name: columns[index - 1].name, type: columns[index - 1].type)
            }
        }
        writer.i64(3, rows)
        writer.list(4, structs: rowGroups.count) { group, index in rowGroup(&group, rowGroups[index]) }
        // Readers trust a writer's statistics by its name and version (Arrow keeps only signed ones of an
        // unknown writer); the column orders say min and max follow each type's order (byte order for strings).
        writer.string(6, "publica version \(PublicaVersion.current)")
        writer.list(7, structs: columns.count) { order, _ in order.struct(1) { _ in } }  // TYPE_ORDER
        writer.stop()
        return Array(writer.output.bytes)
    }

    private static func schemaElement(_ element: inout ThriftCompactWriter, name: String, type: ParquetColumnType) {
        element.i32(1, type.physical.rawValue)
        if case .decimal = type { element.i32(2, 16) }  // type_length
        element.i32(3, 1)  // OPTIONAL
        element.string(4, name)
        if let converted = type.convertedType { element.i32(6, converted) }
        if case .decimal(let scale) = type {
            element.i32(7, Int32(scale ?? 0))
            element.i32(8, 38)
        }
        type.writeLogicalType(&element)
    }

    private static func rowGroup(_ group: inout ThriftCompactWriter, _ rowGroup: RowGroup) {
        group.list(1, structs: rowGroup.columns.count) { chunk, index in
            let column = rowGroup.columns[index]
            chunk.i64(2, column.dictionaryPageOffset ?? column.dataPageOffset)  // file_offset
            chunk.struct(3) { columnMetaData(&$0, column) }
        }
        group.i64(2, rowGroup.columns.reduce(0) { $0 + $1.uncompressedSize })
        group.i64(3, rowGroup.rows)
        group.i64(5, rowGroup.fileOffset)
        group.i64(6, rowGroup.columns.reduce(0) { $0 + $1.compressedSize })
    }

    private static func columnMetaData(_ meta: inout ThriftCompactWriter, _ column: ColumnChunk) {
        meta.i32(1, column.column.physical.rawValue)
        meta.list(2, i32: column.encodings.map(\.rawValue))
        meta.list(3, strings: [column.name])
        meta.i32(4, zstd)
        meta.i64(5, column.values)
        meta.i64(6, column.uncompressedSize)
        meta.i64(7, column.compressedSize)
        meta.i64(9, column.dataPageOffset)
        if let offset = column.dictionaryPageOffset { meta.i64(11, offset) }
        meta.struct(12) { statistics in
            statistics.i64(3, column.statistics.nullCount)
            if let max = column.statistics.max, let min = column.statistics.min {
                statistics.binary(5, max)
                statistics.binary(6, min)
            }
        }
    }

    /// A data page's header (v1: definition levels, then values).
    static func dataPageHeader(
        uncompressed: Int, compressed: Int, values: Int, encoding: Encoding
    ) -> [UInt8] {
        var writer = ThriftCompactWriter()
        writer.i32(1, PageType.dataPage.rawValue)
        writer.i32(2, Int32(uncompressed))
        writer.i32(3, Int32(compressed))
        writer.struct(5) { page in
            page.i32(1, Int32(values))
            page.i32(2, encoding.rawValue)
            page.i32(3, Encoding.rle.rawValue)  // definition levels
            page.i32(4, Encoding.rle.rawValue)  // repetition levels (none)
        }
        writer.stop()
        return Array(writer.output.bytes)
    }

    /// A dictionary page's header (its values PLAIN).
    static func dictionaryPageHeader(uncompressed: Int, compressed: Int, values: Int) -> [UInt8] {
        var writer = ThriftCompactWriter()
        writer.i32(1, PageType.dictionaryPage.rawValue)
        writer.i32(2, Int32(uncompressed))
        writer.i32(3, Int32(compressed))
        writer.struct(7) { page in
            page.i32(1, Int32(values))
            page.i32(2, Encoding.plain.rawValue)
        }
        writer.stop()
        return Array(writer.output.bytes)
    }
}
