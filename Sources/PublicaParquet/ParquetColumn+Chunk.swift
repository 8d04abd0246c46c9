import PublicaCore

extension ParquetColumn {
    /// Writes the row group's column chunk (a dictionary page if the strings have one, then data
    /// pages of about ``ParquetLayout/pageBytes``) and empties the column; what the footer says of it.
    mutating func writeChunk(into output: ParquetOutput) throws -> ParquetMetadata.ColumnChunk {
        if case .decimal(nil) = type { try fixScale() }
        let dictionaryEncoded = usesDictionary && dictionary.count > 0
        var sizes = (uncompressed: 0, compressed: 0)
        var dictionaryOffset: Int64?
        if dictionaryEncoded {
            dictionaryOffset = output.offset
            let count = dictionary.count
            let written = try output.emitPage(dictionary.plain.bytes) {
                ParquetMetadata.dictionaryPageHeader(uncompressed: $0, compressed: $1, values: count)
            }
            sizes = (written.uncompressed, written.compressed)
        }
        let dataOffset = output.offset
        let bitWidth = dictionaryEncoded ? max(1, Int.bitWidth - (dictionary.count - 1).leadingZeroBitCount) : 0
        for page in pages(bitWidth: bitWidth) {
            let written = try writePage(page, bitWidth: bitWidth, into: output)
            sizes.uncompressed += written.uncompressed
            sizes.compressed += written.compressed
        }
        let chunk = ParquetMetadata.ColumnChunk(
            column: type, name: name, encodings: dictionaryEncoded ? [.plain, .rle, .rleDictionary] : [.plain, .rle],
            values: Int64(rows), uncompressedSize: Int64(sizes.uncompressed), compressedSize: Int64(sizes.compressed),
            dataPageOffset: dataOffset, dictionaryPageOffset: dictionaryOffset, statistics: statistics())
        reset()
        return chunk
    }

    /// A data page's rows, values (their indices) and PLAIN bytes.
    struct Page {
        var rows: Range<Int>
        var values: Range<Int>
        var bytes: Range<Int>
    }

    /// The row group cut into pages of about ``ParquetLayout/pageBytes`` each.
    private func pages(bitWidth: Int) -> [Page] {
        let width: Int? =
            switch type.physical {
            case .int64: 8
            case .int32: 4
            case .fixedLenByteArray: 16
            case .boolean: 1
            case .byteArray: usesDictionary ? 0 : nil
            }
        var pages: [Page] = []
        var start = Page(rows: 0..<0, values: 0..<0, bytes: 0..<0)
        var value = 0
        var byte = 0
        let levels = definitions.bytes
        for row in 0..<rows {
            if levels[row] != 0 {
                byte += width ?? (4 + Int(values.load(UInt32.self, at: byte)))
                value += 1
            }
            let size = byte - start.bytes.lowerBound + (value - start.values.lowerBound) * bitWidth / 8
            if size >= layout.pageBytes || row == rows - 1 {
                pages.append(
                    Page(
                        rows: start.rows.lowerBound..<(row + 1), values: start.values.lowerBound..<value,
                        bytes: start.bytes.lowerBound..<byte))
                start = Page(rows: (row + 1)..<(row + 1), values: value..<value, bytes: byte..<byte)
            }
        }
        return pages
    }

    /// One data page: definition levels (RLE, length first), then the values.
    private func writePage(_ page: Page, bitWidth: Int, into output: ParquetOutput) throws
        -> (uncompressed: Int, compressed: Int)
    {
        output.page.removeAll()
        output.page.appendLittleEndian(UInt32(0))
        HybridEncoder.encode(
            UnsafeBufferPointer(rebasing: definitions.bytes[page.rows]), bitWidth: 1, into: &output.page)
        output.page.store(UInt32(output.page.count - 4), at: 0)
        if bitWidth > 0 {
            output.page.append(UInt8(bitWidth))
            indices.withUnsafeBufferPointer {
                HybridEncoder.encode(
                    UnsafeBufferPointer(rebasing: $0[page.values]), bitWidth: bitWidth, into: &output.page)
            }
        } else if type == .boolean {
            let flags = values.bytes
            var packed: UInt8 = 0
            for index in page.values {
                packed |= flags[index] << UInt8((index - page.values.lowerBound) & 7)
                if (index - page.values.lowerBound) & 7 == 7 || index == page.values.upperBound - 1 {
                    output.page.append(packed)
                    packed = 0
                }
            }
        } else {
            output.page.append(UnsafeBufferPointer(rebasing: values.bytes[page.bytes]))
        }
        let encoding: ParquetMetadata.Encoding = bitWidth > 0 ? .rleDictionary : .plain
        return try output.emitPage {
            ParquetMetadata.dataPageHeader(
                uncompressed: $0, compressed: $1, values: page.rows.count, encoding: encoding)
        }
    }

    /// The chunk's statistics: null count, and min and max in PLAIN form when there are values
    /// (strings only up to 1 KiB).
    private mutating func statistics() -> ParquetMetadata.Statistics {
        var statistics = ParquetMetadata.Statistics(min: nil, max: nil, nullCount: Int64(nulls))
        guard rows > nulls else { return statistics }
        switch type.physical {
        case .int64:
            statistics.min = ParquetColumn.littleEndian(minInteger)
            statistics.max = ParquetColumn.littleEndian(maxInteger)
        case .int32:
            statistics.min = ParquetColumn.littleEndian(Int32(truncatingIfNeeded: minInteger))
            statistics.max = ParquetColumn.littleEndian(Int32(truncatingIfNeeded: maxInteger))
        case .boolean:
            statistics.min = [UInt8(minInteger)]
            statistics.max = [UInt8(maxInteger)]
        case .fixedLenByteArray:
            statistics.min = minDecimal.bytes
            statistics.max = maxDecimal.bytes
        case .byteArray:
            if usesDictionary {
                for entry in 0..<dictionary.count {
                    let value = dictionary.value(entry)
                    if minString.map({ ParquetColumn.compare(value, $0) < 0 }) ?? true { minString = Array(value) }
                    if maxString.map({ ParquetColumn.compare(value, $0) > 0 }) ?? true { maxString = Array(value) }
                }
            }
            // Long strings make poor bounds and bloat the footer: none, as parquet-mr does without truncation.
            if let min = minString, let max = maxString, min.count <= 1024, max.count <= 1024 {
                statistics.min = min
                statistics.max = max
            }
        }
        return statistics
    }

    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    /// A number column with no declared scale, at its first row group's end: the largest scale
    /// its values had becomes the column's, and their texts become DECIMAL values.
    private mutating func fixScale() throws {
        let scale = pendingScale
        if widestInteger.digits + scale > 38, let place = widestInteger.place {
            throw PublicaError(
                .data,
                "field \"\(name)\": a value with \(widestInteger.digits) digits before the point does not fit "
                    + "Parquet's 38-digit DECIMAL at scale \(scale) (the most digits after the point in the first "
                    + "row group); declare \"scale\" for the field in the schema",
                at: place.location(field: name))
        }
        type = .decimal(scale: scale)
        var texts = ByteBuffer(capacity: values.count)
        texts.exchange(with: &values)
        var offset = 0
        while offset < texts.count {
            let length = Int(texts.load(UInt32.self, at: offset))
            let text = UnsafeBufferPointer(start: texts.base + offset + 4, count: length)
            guard case .value(let number) = DecimalParsing.parse(text, scale: scale) else {
                throw PublicaError(.data, "field \"\(name)\": a number changed while it was written")
            }
            number.append(to: &values)
            if number < minDecimal { minDecimal = number }
            if maxDecimal < number { maxDecimal = number }
            offset += 4 + length
        }
    }
}
