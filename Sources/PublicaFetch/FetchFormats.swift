import PublicaCore

/// Registers the `fetched` source format: a fetch folder (``Fetcher``).
public enum FetchFormats {
    /// Adds `fetched` (no extension: it is a folder) to `registry`; a downloaded file
    /// (`paging: none`) is read through `reading`, the registry's reader for its format.
    public static func register(
        into registry: inout SourceRegistry,
        reading: @escaping @Sendable (String, String, SourceOptions) throws -> any RecordSource
    ) {
        registry.register(format: "fetched", extensions: []) { path, options in
            .single(try FetchedSource(folder: path, options: options, reading: reading))
        }
    }
}
