import PublicaCore

/// Registers the `xml` format: `--record-path` and `--preset datagokr|sdmx` apply.
public enum XMLFormats {
    /// Adds `xml` (extension `.xml`) to `registry`; the source options' `recordPath` and `preset`
    /// are parsed here, so a bad one is a usage error (exit 64) when the source is opened.
    public static func register(into registry: inout SourceRegistry) {
        registry.register(format: "xml", extensions: ["xml"]) { path, options in
            var xml = XMLReadOptions(limits: options.limits)
            if let path = options.recordPath {
                guard let recordPath = RecordPath(path) else {
                    throw PublicaError(
                        .usage, "invalid {--record-path} '\(path)' (e.g. response/body/items/item or //item)")
                }
                xml.recordPath = recordPath
            }
            if let name = options.preset {
                guard let preset = XMLReadOptions.Preset(rawValue: name) else {
                    throw PublicaError(.usage, "unknown preset '\(name)' (known: datagokr, sdmx)")
                }
                xml.preset = preset
            }
            return .single(try XMLRecordSource(path: path, options: xml))
        }
    }
}
