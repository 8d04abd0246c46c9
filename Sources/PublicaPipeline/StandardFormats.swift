import PublicaCore
import PublicaExport
import PublicaFetch
import PublicaIngest
import PublicaParquet
import PublicaSQLite
import PublicaXLSX
import PublicaXML

/// The formats Publica knows, in one place: the command line and the pipeline runner use it.
public enum Formats {
    /// Every source format, found by name or file extension.
    public static let sources: SourceRegistry = {
        var registry = SourceRegistry()
        IngestFormats.register(into: &registry)
        XMLFormats.register(into: &registry)
        XLSXFormats.register(into: &registry)
        FetchFormats.register(into: &registry) { path, format, options in
            guard case .single(let reader) = try Formats.sources.open(path, format: format, options: options) else {
                throw PublicaError(.usage, "a download in \(format) with several resources cannot be one source")
            }
            return reader
        }
        return registry
    }()

    /// Every output format, found by name or file extension.
    public static let sinks: SinkRegistry = {
        var registry = SinkRegistry.standard
        SQLiteFormats.register(into: &registry)
        ParquetFormats.register(into: &registry)
        return registry
    }()
}
