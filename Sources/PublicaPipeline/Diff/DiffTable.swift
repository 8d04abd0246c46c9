import PublicaCore

/// One version of a table to compare: a file in any format Publica reads, opened through
/// ``Formats/sources`` as `convert` and `validate` open theirs.
public struct DiffTable {
    /// The file's path (`-` for standard input).
    public var path: String
    /// The source format (`csv`, `ndjson`, `xlsx`…); nil: from the file's extension.
    public var format: String?
    /// How to read it (encoding, delimiter, header row…).
    public var options: SourceOptions

    /// The table at `path`, read as `format` (default: from its extension) with `options`.
    public init(path: String, format: String? = nil, options: SourceOptions = SourceOptions()) {
        self.path = path
        self.format = format
        self.options = options
    }

    /// Opens the table; a format that cannot be told or a file with several resources is a usage error.
    func open() throws -> any RecordSource {
        let known = Formats.sources.formats.joined(separator: ", ")
        guard let format = format?.lowercased() ?? Formats.sources.format(forPath: path) else {
            throw PublicaError(.usage, "cannot tell the format of '\(path)' from its name; use --from (\(known))")
        }
        guard case .single(let source) = try Formats.sources.open(path, format: format, options: options) else {
            throw PublicaError(
                .usage, "\(path) holds several resources; compare the data packages a conversion writes instead",
                at: SourceLocation(file: path))
        }
        return source
    }
}
