import PublicaCore
import PublicaJSON

/// Reads a CSV (or TSV, or any delimited) file as a stream of records, in constant memory.
///
/// RFC 4180 plus what government downloads need: quotes with doubled quotes, line breaks
/// inside quotes, LF, CRLF and lone-CR line ends, any delimiter, title rows above the header,
/// comment and blank lines, ragged rows by policy, and any supported encoding. Text leaves
/// as valid UTF-8 in Unicode NFC.
///
/// The reader works on bytes in one buffer that grows only for a record longer than it.
/// ``forEach(raw:record:onReject:)`` hands each row to the caller as byte ranges in that
/// buffer, so a plain conversion never makes a `String`.
public final class CSVReader: RecordSource, JSONLinesRendering {
    /// The options the file is read with, with what `auto` found filled in: the header's line
    /// in ``CSVReadOptions/headerRow`` and the delimiter in ``CSVReadOptions/dialect``.
    public var options: CSVReadOptions { cursor.options }
    /// What the reader decided by itself: the delimiter and header line `auto` found, one
    /// sentence each (empty when nothing was `auto`).
    public var notes: [String] { cursor.notes }
    /// The file's base name without its extension (`stdin` for standard input), for output names.
    public let resourceName: String
    /// The header's fields, made unique (`field_N` for a blank label, `name_2` for a repeat), with
    /// the labels as written; known once the reader is open.
    public var schema: RecordSchema { cursor.schema }
    /// What the read has counted so far: rows, rejects, padding, skipped and blank lines, bytes replaced.
    public var stats: CSVReadStats { cursor.stats }
    /// The decoder, which knows the encoding `auto` found.
    public var decoder: TextDecoder { cursor.prefetcher.decoder }
    /// The reading state, a struct: the row loop runs inside one access to it, where a class's
    /// own properties would each cost a dynamic exclusivity check per row.
    private var cursor: CSVCursor

    /// Opens `path` (`-` for standard input) and reads up to and including the header.
    public convenience init(path: String, options: CSVReadOptions = CSVReadOptions()) throws {
        let input = try FileInput(path: path)
        try self.init(input: input, options: options)
    }

    /// Reads from an opened input and reads up to and including the header.
    public init(input: FileInput, options: CSVReadOptions) throws {
        resourceName = SourceOptions.resourceName(for: input.path)
        cursor = try CSVCursor(input: input, options: options)
    }

    // MARK: - RecordSource

    /// The nonzero ``stats``, by name (`rows`, `blank lines`, `replaced bytes`…), for reports.
    public var counters: [(name: String, value: Int)] {
        let stats = cursor.stats
        return [
            ("rows", stats.rows), ("rejected", stats.rejected), ("padded", stats.padded),
            ("blank lines", stats.blankLines), ("comment lines", stats.commentLines),
            ("skipped lines", stats.skippedLines), ("malformed quotes", stats.malformedQuotes),
            ("replaced bytes", stats.replacedBytes)
        ].filter { $0.1 > 0 }
    }

    /// The next row as a record of text values, or nil at the end; a row the field-count policy
    /// rejects goes to `onReject`.
    public func next(onReject: (Rejection) throws -> Void) throws -> Record? {
        try cursor.next(onReject: onReject)
    }

    /// Hands every remaining row to `body` as byte ranges in the reader's buffer, valid only during
    /// the call (`record` is never called: every CSV row has a raw form).
    public func forEach(
        raw body: (RawRecord) throws -> Void, record: (Record) throws -> Void,
        onReject: (Rejection) throws -> Void
    ) throws {
        try cursor.forEach(raw: body, onReject: onReject)
    }

    // MARK: - JSONLinesRendering

    /// The fused path (see `CSVCursor+JSONLines.swift`): plain rows are parsed and escaped in one pass.
    public func renderJSONLines(
        keys: JSONObjectKeys, into destination: UnsafeMutablePointer<UInt8>, capacity: Int,
        onReject: (Rejection) throws -> Void
    ) throws -> JSONLinesBatch {
        try cursor.renderJSONLines(keys: keys, into: destination, capacity: capacity, onReject: onReject)
    }
}
