import PublicaCore

/// Registers the `xlsx` format: `sheet`, `range` and `merged` come in the source options'
/// `extra` (`--sheet`, `--range`, `--merged`, or a pipeline source's keys).
public enum XLSXFormats {
    /// Adds `xlsx` (extensions `.xlsx` and `.xlsm`: a macro workbook's cells read the same, its
    /// macros are never run) to `registry`.
    public static func register(into registry: inout SourceRegistry) {
        registry.register(format: "xlsx", extensions: ["xlsx", "xlsm"]) { path, options in
            .single(try XLSXRecordSource(path: path, options: try readOptions(options)))
        }
    }

    /// The XLSX reading options a source's options give; a bad `range` or `merged` is a usage
    /// error (exit 64).
    public static func readOptions(_ options: SourceOptions) throws -> XLSXReadOptions {
        var xlsx = XLSXReadOptions()
        xlsx.sheet = options.extra["sheet"]
        if let text = options.extra["range"] {
            guard let range = CellRange(text) else {
                throw PublicaError(.usage, "invalid {--range} '\(text)' (e.g. A5:K200)")
            }
            xlsx.range = range
        }
        switch options.extra["merged"] {
        case nil, "keep": break
        case "fill": xlsx.fillsMergedCells = true
        case let other?: throw PublicaError(.usage, "{--merged} takes keep or fill, not '\(other)'")
        }
        xlsx.hasHeader = options.hasHeader
        xlsx.headerRow = options.headerRow
        xlsx.findsHeaderRow = options.findsHeaderRow
        xlsx.headerRows = options.headerRows
        xlsx.skipRows = options.skipRows
        return xlsx
    }
}
