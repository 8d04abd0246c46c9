import PublicaExport

/// Registers the SQLite output format.
public enum SQLiteFormats {
    /// `sqlite` (`.sqlite`, `.db`, `.sqlite3`): a database with one table (a release's: one per resource).
    public static func register(into registry: inout SinkRegistry) {
        registry.register(
            format: "sqlite", extensions: ["sqlite", "db", "sqlite3"], mediaType: "application/vnd.sqlite3"
        ) {
            file, options in
            SQLiteWriter(file: file, description: options.table)
        }
    }
}
