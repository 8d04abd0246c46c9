/// The options a user can give any source; each source reads those that apply to it.
public struct SourceOptions: Sendable {
    /// The input's encoding; `auto` (default) finds it (see ``TextEncoding/auto``).
    public var encoding: TextEncoding = .auto
    /// Invalid bytes stop the read (`strict`, default) or become U+FFFD (`replace`).
    public var invalidBytes: InvalidBytePolicy = .strict
    /// The field delimiter for delimited text; nil for the format's own (`,` or tab).
    public var delimiter: UInt8?
    /// The quote character for delimited text; nil disables quoting.
    public var quote: UInt8? = UInt8(ascii: "\"")
    /// Delimited text: lines starting with this byte are skipped as comments; nil for none.
    public var commentPrefix: UInt8?
    /// Delimited text: false when the first row is data (fields are then `field_1`, `field_2`…).
    public var hasHeader = true
    /// The 1-based line of the header row.
    public var headerRow = 1
    /// Delimited text: true when the header's line is found by itself (`header_row: auto`):
    /// the first line below title and search-condition lines with the data's field count.
    public var findsHeaderRow = false
    /// Delimited text: true when the delimiter (comma, semicolon, tab or pipe) is sniffed from
    /// the first rows (`delimiter: auto`); ``delimiter`` is then ignored.
    public var sniffsDelimiter = false
    /// Delimited text: which whitespace (spaces, tabs, U+3000) is cut from values and labels.
    public var trim: TrimMode = .none
    /// Delimited text and sheets: how many lines (rows) the header spans, combined per column
    /// (see `HeaderLabels` in PublicaIngest).
    public var headerRows = 1
    /// Rows to skip after the header.
    public var skipRows = 0
    /// Delimited text: what a row with the wrong number of fields does (default: rejected).
    public var fieldCountPolicy: FieldCountPolicy = .reject
    /// XML: the element that is one record, e.g. `response/body/items/item` or `//item`.
    public var recordPath: String?
    /// A named reading preset, e.g. `datagokr` or `sdmx` for XML.
    public var preset: String?
    /// Anything source-specific, by name (from a pipeline file's source options).
    public var extra: [String: String] = [:]
    /// The record size and field count past which a source stops (see ``ReadLimits``).
    public var limits = ReadLimits()

    /// Options with every default.
    public init() {}

    /// A source's resource name: the file's base name without its extension
    /// (`registry` for `data/registry.csv`), `stdin` for standard input.
    public static func resourceName(for path: String) -> String {
        guard path != "-" else { return "stdin" }
        let base = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return base }
        return String(base[..<dot])
    }
}

/// Which side of values and labels whitespace (space, tab, U+3000 ideographic space) is cut from.
public enum TrimMode: String, Sendable, Hashable, CaseIterable {
    /// Values are kept as written.
    case none
    /// Whitespace is cut from both ends; lines of only whitespace are blank lines.
    case both
    /// Only leading whitespace is cut; lines of only whitespace are blank lines.
    case start
    /// Only trailing whitespace is cut; lines of only whitespace are blank lines.
    case end

    /// `true`/`both`, `false`/`none`, `start` or `end`; nil for anything else.
    public init?(name: String) {
        switch name.lowercased() {
        case "true", "both", "yes", "on": self = .both
        case "false", "none", "no", "off": self = .none
        case "start": self = .start
        case "end": self = .end
        default: return nil
        }
    }
}

/// What opening a source gives: one record stream, or several named resources.
public enum OpenedSource {
    case single(any RecordSource)
    case multiple(any MultiResourceSource)
}

/// Finds sources by format name (`csv`, `xml`, `bulletin`…) or file extension.
///
/// The command line and the pipeline runner open every input through a registry, so a
/// new format plugs in by registering itself, without touching either.
public struct SourceRegistry: Sendable {
    /// Opens a source at a path with options.
    public typealias Factory = @Sendable (_ path: String, _ options: SourceOptions) throws -> OpenedSource

    private var factories: [String: Factory] = [:]
    private var extensions: [String: String] = [:]

    /// An empty registry; `Formats.sources` (PublicaPipeline) is the one with Publica's formats.
    public init() {}

    /// Registers a format under its name and the file extensions (without the dot) that imply it.
    public mutating func register(format: String, extensions: [String], factory: @escaping Factory) {
        factories[format] = factory
        for fileExtension in extensions { self.extensions[fileExtension.lowercased()] = format }
    }

    /// The registered format names, sorted.
    public var formats: [String] { factories.keys.sorted() }

    /// The format a path's extension implies, if any.
    public func format(forPath path: String) -> String? {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        return extensions[path[path.index(after: dot)...].lowercased()]
    }

    /// Opens `path` as `format`.
    public func open(_ path: String, format: String, options: SourceOptions) throws -> OpenedSource {
        guard let factory = factories[format] else {
            throw PublicaError(.usage, "unknown input format '\(format)' (known: \(formats.joined(separator: ", ")))")
        }
        return try factory(path, options)
    }
}
