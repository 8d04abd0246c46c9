import PublicaCore
import PublicaExport
import PublicaFetch
import PublicaValidation

/// A pipeline, as its file describes it: sources, a schema, steps, outputs and quality gates.
public struct Pipeline {
    /// One input of the pipeline: an entry of `sources:`, read through ``Formats/sources``.
    public struct Source: Sendable {
        /// A source named `name`, read as `format` (a name registered in ``Formats/sources``) from
        /// `path`, or fetched first as `remote` says.
        public init(
            name: String, format: String, path: String, options: SourceOptions, resource: String? = nil,
            remote: RemoteSource? = nil
        ) {
            self.remote = remote
            self.name = name
            self.format = format
            self.path = path
            self.options = options
            self.resource = resource
        }

        /// The source's key under `sources:`, used in error messages.
        public var name: String
        /// The format name it is read as (`csv`, `tsv`, `json`, `ndjson`, `xml`, `bulletin`, or one registered).
        public var format: String
        /// An absolute or working-directory-relative path (made relative to the pipeline file when loaded).
        public var path: String
        /// How it is read: encoding, dialect, header, limits, XML record path or preset, bulletin profile.
        public var options: SourceOptions
        /// For a source with several resources (a bulletin), the one to read; nil writes them all.
        public var resource: String?
        /// For a source fetched over HTTP(S) (`url:`), the request: each run fetches it into a
        /// folder of its own first, and ``path`` then names what was fetched.
        public var remote: RemoteSource?

        /// What messages and the data package name the source by: its path, or its URL with
        /// secrets redacted (never the folder a run fetched it into).
        public var place: String { remote.map { RequestURL($0).shown } ?? path }
    }

    /// One entry of `outputs:`: a file, a folder for a source with several resources, or `datapackage.json`.
    public struct Output: Sendable, Hashable {
        /// An output at `path` in `format`; `isDirectory` for a folder that gets one file per resource.
        public init(path: String, format: String, isDirectory: Bool = false) {
            self.path = path
            self.format = format
            self.isDirectory = isDirectory
        }

        /// Where the file is published. ``PipelineRunner`` publishes one folder, the first output's, and
        /// writes each output into it by file name, so every output belongs in that folder.
        public var path: String
        /// `csv`, `tsv`, `json`, `ndjson`, or `datapackage`.
        public var format: String
        /// True for a folder that gets one file per resource.
        public var isDirectory: Bool
        /// Where the output is named in the pipeline file.
        public var location: SourceLocation?
    }

    /// The quality gates checked before publishing; a failed gate publishes nothing (exit 4). A nil
    /// gate is not checked.
    public struct Quality: Sendable, Hashable {
        /// The most records that may be rejected.
        public var maxRejects: Int?
        /// The largest share of records read that may be rejected, from 0 to 1.
        public var maxRejectRatio: Double?
        /// The fewest records that must be written.
        public var minRows: Int?
        /// The largest share of the last published run's rows this run may lose, from 0 to 1; not
        /// checked on a first run.
        public var maxRowDropRatio: Double?

        /// No gates.
        public init() {}
    }

    /// The pipeline file: hashed into the nothing-to-do check and named in the output folder's state
    /// as its owner, so it must exist (a pipeline built in code names a file of its own).
    public var file: String
    /// The pipeline's name (a loaded file's default: its base name): it names the rejects file
    /// (`<name>.rejects.ndjson`) and appears in the log and the run report.
    public var name: String
    /// The inputs, read one after the other into one stream; they must share one set of fields.
    public var sources: [Source]
    /// The Table Schema: the loader gives it to the `cast` and `validate` steps, and the data package
    /// takes its field types from it; nil for none.
    public var schema: TableSchema?
    /// Where the schema came from, for the incremental state.
    public var schemaFile: String?
    /// The steps every record goes through, in order.
    public var steps: [any PipelineStep]
    /// Where the records go; the first output's folder is the one published (``outputDirectory``).
    public var outputs: [Output]
    /// The gates a run must pass before it publishes.
    public var quality = Quality()
    /// The environment values the file used (`${NAME}`), by name: part of what decides whether a
    /// run has anything to do (only their hash is kept).
    public var environmentUsed: [String: String] = [:]
    /// Where each step is written in the pipeline file, for errors a step finds at run time.
    public var stepLocations: [SourceLocation] = []
    /// Where the outputs are written in the pipeline file, for errors about the output folder.
    public var outputsLocation: SourceLocation?
    /// A release's resources (pipeline file version 2), in the file's order: each a pipeline of
    /// its own, named after the resource, writing `<resource>.<format>` into this pipeline's
    /// folder. Empty for a one-table pipeline (version 1), which is its own one resource
    /// (``tables``). A release's ``sources`` and ``outputs`` are those of all its resources.
    public var resources: [Pipeline] = []
    /// What a run does when a source's columns differ from the last published run's: a
    /// release's resources `fail` by default, a version 1 pipeline does not compare unless it says.
    public var onSchemaChange = SchemaChangePolicy.ignore
    /// A resource's title in the data package; nil for none.
    public var title: String?
    /// The fields a SQLite output's full-text index covers (`search:`); nil for the schema's free-text
    /// fields (strings that are no key and have no pattern or allowed values), empty for none.
    public var searchFields: [String]?
    /// Files a step reads whole (a `join`'s code list): part of the nothing-to-do check.
    public var lookupFiles: [String] = []
    /// What `datapackage.json` says of the release beyond its resources (title, description,
    /// license, publisher, keywords, version).
    public var package: DataPackage?
    /// Where the published folder is served (`base_url:`): DCAT's download URLs start with it.
    public var baseURL: String?
    /// Whether a run publishes `dcat.jsonld` (DCAT-AP 3) beside its outputs (`dcat:`, default true).
    public var writesDCAT = true

    /// A pipeline built in code, as ``PipelineLoader`` builds one from a file; `schemaFile`, when the
    /// schema came from a file, makes its changes part of the nothing-to-do check.
    public init(
        file: String, name: String, sources: [Source], schema: TableSchema? = nil, schemaFile: String? = nil,
        steps: [any PipelineStep] = [], outputs: [Output], quality: Quality = Quality()
    ) {
        self.file = file
        self.name = name
        self.sources = sources
        self.schema = schema
        self.schemaFile = schemaFile
        self.steps = steps
        self.outputs = outputs
        self.quality = quality
    }

    /// The tables a run writes: a release's resources, or the pipeline itself.
    public var tables: [Pipeline] { resources.isEmpty ? [self] : resources }

    /// The folder that is published as one (the first output's folder).
    public var outputDirectory: String {
        let first = outputs.first?.path ?? "."
        if outputs.first?.isDirectory == true { return first.hasSuffix("/") ? String(first.dropLast()) : first }
        return first.lastIndex(of: "/").map { String(first[..<$0]) } ?? "."
    }
}
