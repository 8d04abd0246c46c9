import PublicaCore
import PublicaExport
import PublicaIngest
import PublicaXML

/// The formats Publica knows, in one place: the command line and the pipeline runner use it.
public enum Formats {
    /// Every source format, found by name or file extension.
    public static let sources: SourceRegistry = {
        var registry = SourceRegistry()
        IngestFormats.register(into: &registry)
        XMLFormats.register(into: &registry)
        return registry
    }()

    /// Output formats.
    public enum Sink: String, CaseIterable, Sendable {
        case csv, tsv, json, ndjson

        public init?(path: String) {
            guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
            switch path[path.index(after: dot)...].lowercased() {
            case "csv": self = .csv
            case "tsv", "tab": self = .tsv
            case "json": self = .json
            case "ndjson", "jsonl": self = .ndjson
            default: return nil
            }
        }

        public var fileExtension: String { rawValue }
    }
}
