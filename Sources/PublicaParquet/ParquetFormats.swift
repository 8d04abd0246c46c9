import PublicaExport

/// Registers the Parquet output format.
public enum ParquetFormats {
    /// `parquet` (`.parquet`): one flat table per file, typed from the schema.
    public static func register(into registry: inout SinkRegistry) {
        registry.register(format: "parquet", extensions: ["parquet"], mediaType: "application/vnd.apache.parquet") {
            file, options in
            ParquetWriter(file: file, description: options.table)
        }
    }
}
