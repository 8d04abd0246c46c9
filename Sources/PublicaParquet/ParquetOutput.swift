import PublicaExport

/// The Parquet file being written: its bytes go through the output's buffer, counted so that
/// the footer can give every page's offset; each page is assembled in ``page`` and compressed.
final class ParquetOutput {
    private var buffer: OutputBuffer
    /// Bytes written so far: the next byte's offset in the file.
    private(set) var offset: Int64 = 0
    private let compressor: ZstdCompressor
    /// The page being assembled (uncompressed).
    var page = ByteBuffer(capacity: 1 << 20)

    init(file: OutputFile) throws {
        buffer = OutputBuffer(file: file)
        compressor = try ZstdCompressor()
    }

    func emit(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        try buffer.append(UnsafeRawBufferPointer(bytes))
        offset += Int64(bytes.count)
    }

    func emit(_ bytes: [UInt8]) throws { try bytes.withUnsafeBufferPointer { try emit($0) } }

    /// Compresses `body` and writes the header `header(uncompressed, compressed)` makes, then the
    /// compressed bytes; the sizes with the header, before and after compression.
    func emitPage(_ body: UnsafeBufferPointer<UInt8>, header: (Int, Int) -> [UInt8]) throws
        -> (uncompressed: Int, compressed: Int)
    {
        try compressor.compress(body)
        let compressed = compressor.output.count
        let head = header(body.count, compressed)
        try emit(head)
        try emit(compressor.output.bytes)
        return (head.count + body.count, head.count + compressed)
    }

    /// Compresses and writes ``page``.
    func emitPage(header: (Int, Int) -> [UInt8]) throws -> (uncompressed: Int, compressed: Int) {
        try emitPage(page.bytes, header: header)
    }

    /// Writes what is buffered and moves the file into place.
    func commit() throws { try buffer.commitFile() }
}
