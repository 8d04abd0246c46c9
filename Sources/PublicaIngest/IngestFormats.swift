import PublicaCore

/// Registers the formats this module reads: `csv`, `tsv`, `json`, `ndjson` and `bulletin`.
public enum IngestFormats {
    /// Adds `csv`, `tsv` (also `.tab`), `json`, `ndjson` (also `.jsonl`) and `bulletin` (`.txt`) to
    /// `registry`; a bulletin source's `profile` option names a profile file (default: R&D KIOSK).
    public static func register(into registry: inout SourceRegistry) {
        registry.register(format: "csv", extensions: ["csv"]) { path, options in
            .single(try CSVReader(path: path, options: CSVReadOptions(options, defaultDelimiter: UInt8(ascii: ","))))
        }
        registry.register(format: "tsv", extensions: ["tsv", "tab"]) { path, options in
            .single(try CSVReader(path: path, options: CSVReadOptions(options, defaultDelimiter: UInt8(ascii: "\t"))))
        }
        registry.register(format: "json", extensions: ["json"]) { path, options in
            .single(
                try JSONRecordReader(
                    path: path, encoding: options.encoding, invalidBytes: options.invalidBytes,
                    limits: options.limits))
        }
        registry.register(format: "bulletin", extensions: ["txt"]) { path, options in
            let profile = try options.extra["profile"].map(BulletinProfile.load(path:)) ?? .rndKiosk
            return .multiple(BulletinReader(path: path, profile: profile, encoding: options.encoding))
        }
        registry.register(format: "ndjson", extensions: ["ndjson", "jsonl"]) { path, options in
            .single(
                try JSONRecordReader(
                    path: path, encoding: options.encoding, invalidBytes: options.invalidBytes,
                    limits: options.limits))
        }
    }
}

extension CSVReadOptions {
    /// CSV options from the common source options.
    public init(_ options: SourceOptions, defaultDelimiter: UInt8) {
        self.init(
            dialect: CSVDialect(
                delimiter: options.delimiter ?? defaultDelimiter, quote: options.quote,
                commentPrefix: options.commentPrefix),
            hasHeader: options.hasHeader, headerRow: options.headerRow, skipRows: options.skipRows,
            fieldCountPolicy: options.fieldCountPolicy, encoding: options.encoding,
            invalidBytes: options.invalidBytes, maxRecordBytes: options.limits.maxRecordBytes)
        findsHeaderRow = options.findsHeaderRow
        sniffsDelimiter = options.sniffsDelimiter
        trim = options.trim
        headerRows = options.headerRows
    }
}
