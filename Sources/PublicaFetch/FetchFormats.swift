import PublicaCore

/// Registers the `fetched` source format: a fetch folder (``Fetcher``, `--replay`).
public enum FetchFormats {
    /// Adds `fetched` (no extension: it is a folder) to `registry`.
    public static func register(into registry: inout SourceRegistry) {
        registry.register(format: "fetched", extensions: []) { path, options in
            .single(try FetchedSource(folder: path, options: options))
        }
    }
}
