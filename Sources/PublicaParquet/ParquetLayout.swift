/// How a Parquet file is cut up: rows per row group, bytes per row group and per page, the
/// largest dictionary. The defaults are pyarrow's and parquet-mr's usual sizes; tests shrink
/// them to get many row groups and pages from a few rows.
public struct ParquetLayout: Sendable, Hashable {
    /// A row group ends after this many rows…
    public var rowGroupRows: Int
    /// …or once its buffered values pass this many bytes, whichever comes first.
    public var rowGroupBytes: Int
    /// A data page ends once its values pass this many bytes (before compression).
    public var pageBytes: Int
    /// A string column falls back from dictionary to PLAIN encoding once its dictionary passes
    /// this many bytes (and stays PLAIN for the rest of the file: a column that varied that much
    /// in one row group will go on varying).
    public var dictionaryBytes: Int

    /// The defaults: 128 Ki rows or 64 MiB per row group, 1 MiB pages and dictionaries.
    public init(
        rowGroupRows: Int = 128 * 1024, rowGroupBytes: Int = 64 << 20, pageBytes: Int = 1 << 20,
        dictionaryBytes: Int = 1 << 20
    ) {
        self.rowGroupRows = max(1, rowGroupRows)
        self.rowGroupBytes = rowGroupBytes
        self.pageBytes = max(1, pageBytes)
        self.dictionaryBytes = dictionaryBytes
    }
}
