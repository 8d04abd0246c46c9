import PublicaCore
import PublicaExport
import PublicaIngest
import PublicaXML

/// The formats the command line knows, in one place.
enum Formats {
    /// Every source format, found by name or file extension.
    static let sources: SourceRegistry = {
        var registry = SourceRegistry()
        IngestFormats.register(into: &registry)
        XMLFormats.register(into: &registry)
        return registry
    }()

    /// Output formats.
    enum Sink: String, CaseIterable {
        case csv, tsv, json, ndjson

        init?(path: String) {
            guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
            switch path[path.index(after: dot)...].lowercased() {
            case "csv": self = .csv
            case "tsv", "tab": self = .tsv
            case "json": self = .json
            case "ndjson", "jsonl": self = .ndjson
            default: return nil
            }
        }

        var fileExtension: String { rawValue }
    }
}
