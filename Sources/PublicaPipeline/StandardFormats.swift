import PublicaCore
import PublicaExport
import PublicaIngest
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
        return registry
    }()

    /// Every output format, found by name or file extension.
    public static let sinks = SinkRegistry.standard
}
