import PublicaCore

/// How a sink writes what is not in the records: CSV line ends and byte-order mark, a typed
/// output's table description.
public struct SinkOptions: Sendable, Hashable {
    /// CSV and TSV: how lines end (CRLF by default, as RFC 4180 says; `--line-ending lf`).
    public var lineEnding: CSVWriter.LineEnding = .crlf
    /// CSV: start with a UTF-8 byte-order mark, so Excel shows Korean text.
    public var byteOrderMark = false
    /// SQLite and Parquet: the table's declared types, keys and descriptions; nil when there is no
    /// schema (every field untyped).
    public var table: TableDescription?

    /// Options with the defaults: CRLF, no byte-order mark, no table description.
    public init(lineEnding: CSVWriter.LineEnding = .crlf, byteOrderMark: Bool = false, table: TableDescription? = nil) {
        self.lineEnding = lineEnding
        self.byteOrderMark = byteOrderMark
        self.table = table
    }
}

/// Finds output formats by name (`csv`, `ndjson`…) or file extension, and makes their sinks.
///
/// Every command and the pipeline runner make their writers here, so a format (SQLite,
/// Parquet) is added in one place, the way ``SourceRegistry`` does it for inputs.
public struct SinkRegistry: Sendable {
    /// Makes a sink writing into a file.
    public typealias Factory = @Sendable (_ file: OutputFile, _ options: SinkOptions) -> any RecordSink

    /// A registered output format.
    public struct Format: Sendable {
        /// The format's name (`csv`, `ndjson`), as `--to` and a pipeline output's `format` give it.
        public var name: String
        /// The extension of the files it writes (without the dot).
        public var fileExtension: String
        /// The media type for data packages and catalogues.
        public var mediaType: String
        /// Makes the format's sink for a file.
        public var make: Factory
    }

    private var byName: [String: Format] = [:]
    private var extensions: [String: String] = [:]

    /// An empty registry; ``standard`` has the built-in formats.
    public init() {}

    /// Registers a format under its name and the file extensions that imply it (the first is its own).
    public mutating func register(
        format name: String, extensions: [String], mediaType: String, factory: @escaping Factory
    ) {
        byName[name] = Format(name: name, fileExtension: extensions.first ?? name, mediaType: mediaType, make: factory)
        for fileExtension in extensions { self.extensions[fileExtension.lowercased()] = name }
    }

    /// The registered format names, sorted.
    public var formats: [String] { byName.keys.sorted() }

    /// The format registered as `name` (any case), or nil.
    public func format(named name: String) -> Format? { byName[name.lowercased()] }

    /// The format a path's extension implies, if any.
    public func format(forPath path: String) -> String? {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        return extensions[path[path.index(after: dot)...].lowercased()]
    }

    /// A sink of `format` writing into `file`.
    public func makeSink(_ format: String, file: OutputFile, options: SinkOptions = SinkOptions()) throws
        -> any RecordSink
    {
        guard let entry = byName[format.lowercased()] else {
            throw PublicaError(.usage, "unknown output format '\(format)' (known: \(formats.joined(separator: ", ")))")
        }
        return entry.make(file, options)
    }

    /// CSV, TSV, JSON and NDJSON.
    public static let standard: SinkRegistry = {
        var registry = SinkRegistry()
        registry.register(format: "csv", extensions: ["csv"], mediaType: "text/csv") { file, options in
            CSVWriter(file: file, lineEnding: options.lineEnding, byteOrderMark: options.byteOrderMark)
        }
        registry.register(format: "tsv", extensions: ["tsv", "tab"], mediaType: "text/tab-separated-values") {
            file, options in
            CSVWriter(file: file, delimiter: 0x09, lineEnding: options.lineEnding, byteOrderMark: options.byteOrderMark)
        }
        registry.register(format: "json", extensions: ["json"], mediaType: "application/json") { file, _ in
            JSONWriter(file: file)
        }
        registry.register(format: "ndjson", extensions: ["ndjson", "jsonl"], mediaType: "application/x-ndjson") {
            file, _ in
            NDJSONWriter(file: file)
        }
        return registry
    }()
}
