import PublicaCore
import PublicaValidation

/// A pipeline, as its file describes it: sources, a schema, steps, outputs and quality gates.
public struct Pipeline {
    public struct Source: Sendable {
        public init(name: String, format: String, path: String, options: SourceOptions, resource: String? = nil) {
            self.name = name
            self.format = format
            self.path = path
            self.options = options
            self.resource = resource
        }

        public var name: String
        public var format: String
        /// An absolute or working-directory-relative path (made relative to the pipeline file when loaded).
        public var path: String
        public var options: SourceOptions
        /// For a source with several resources (a bulletin), the one to read; nil writes them all.
        public var resource: String?
    }

    public struct Output: Sendable, Hashable {
        public init(path: String, format: String, isDirectory: Bool = false) {
            self.path = path
            self.format = format
            self.isDirectory = isDirectory
        }

        public var path: String
        /// `csv`, `tsv`, `json`, `ndjson`, or `datapackage`.
        public var format: String
        /// True for a folder that gets one file per resource.
        public var isDirectory: Bool
        /// Where the output is named in the pipeline file.
        public var location: SourceLocation?
    }

    public struct Quality: Sendable, Hashable {
        public var maxRejects: Int?
        public var maxRejectRatio: Double?
        public var minRows: Int?
        public var maxRowDropRatio: Double?

        public init() {}
    }

    public var file: String
    public var name: String
    public var sources: [Source]
    public var schema: TableSchema?
    /// Where the schema came from, for the incremental state.
    public var schemaFile: String?
    public var steps: [any PipelineStep]
    public var outputs: [Output]
    public var quality = Quality()
    /// The environment values the file used (`${NAME}`), by name: part of what decides whether a
    /// run has anything to do (only their hash is kept).
    public var environmentUsed: [String: String] = [:]
    /// Where each step is written in the pipeline file, for errors a step finds at run time.
    public var stepLocations: [SourceLocation] = []
    /// Where the outputs are written in the pipeline file, for errors about the output folder.
    public var outputsLocation: SourceLocation?

    public init(file: String, name: String, sources: [Source], schema: TableSchema? = nil, schemaFile: String? = nil,
                steps: [any PipelineStep] = [], outputs: [Output], quality: Quality = Quality()) {
        self.file = file
        self.name = name
        self.sources = sources
        self.schema = schema
        self.schemaFile = schemaFile
        self.steps = steps
        self.outputs = outputs
        self.quality = quality
    }

    /// The folder that is published as one (the first output's folder).
    public var outputDirectory: String {
        let first = outputs.first?.path ?? "."
        if outputs.first?.isDirectory == true { return first.hasSuffix("/") ? String(first.dropLast()) : first }
        return first.lastIndex(of: "/").map { String(first[..<$0]) } ?? "."
    }
}
