import Foundation
import PublicaCore
import PublicaExport
import PublicaIngest
import PublicaSQLite

#if canImport(Glibc)
import Glibc
#endif

/// The one engine: a pipeline's sources through its steps into its outputs, streaming, with
/// every record counted (read = written + rejected + dropped).
///
/// `publica run` runs it inside a staging folder that is swapped in at once
/// (``PipelineRunner``); `publica convert` runs the one-source pipeline its flags describe,
/// with the output and its rejects published together (`Publication`). Without steps the
/// records take the source's fastest path: the fused CSV → NDJSON rendering where both ends
/// have it, else raw records written straight from the reader's buffer.
public struct Engine {
    /// The pipeline run: its sources, steps and outputs; its name names the default rejects file
    /// and the progress line.
    public let pipeline: Pipeline
    /// Where outputs go: a folder that receives every output by file name (the staging folder),
    /// or nil for each output at its own path.
    public let folder: String?
    /// The rejects file, created only at the first rejection: the init's `rejects`, else
    /// `<pipeline name>.rejects.ndjson` in ``folder`` or, without one, in the first output's folder.
    public let rejectsPath: String
    /// Where the outputs and the rejects file go at their commit, to be published together when
    /// the caller calls its `publish()` after ``run()``; nil moves each file into place on its own.
    public let publication: Publication?
    /// How the outputs are written: CSV and TSV line endings, a CSV byte-order mark.
    public var sinkOptions = SinkOptions()
    /// Whether a run without rejects removes a rejects file an earlier run left at ``rejectsPath``.
    public var removesStaleRejects = true
    /// Whether outputs are hashed as they are written (SHA-256, for a report or a data package).
    public var hashesOutputs = true
    /// Whether the steps run on a thread of their own, in batches (the default with a second
    /// core); the outputs are the same either way.
    public var stepsOnOwnThread = ProcessInfo.processInfo.activeProcessorCount > 1
    /// Runs the steps and prints the first ``limit`` records as NDJSON on standard output
    /// instead of writing the outputs; nothing is published, not even the rejects file.
    public var dryRun = false
    /// Dry run: how many records to print.
    public var limit: Int?
    /// Dry run: the resource the records belong to, printed with each as
    /// `{"resource": NAME, "record": {…}}` (a release's); nil prints the records alone.
    public var sampleResource: String?
    /// Where the progress line goes (on a terminal, for a text log that is not quiet); the default
    /// shows none.
    public var log = RunLog(quiet: true)
    /// The SQLite databases a release's resources share: a `sqlite` output goes into one as a
    /// table (its owner commits it); nil writes each database on its own.
    public var sharedDatabases: SharedDatabases?
    /// The memory the steps that hold records may use before they spill (`--memory`), shared
    /// among them; spill files go in its folder, else in ``folder`` or the first output's folder.
    public var memory = MemoryBudget()
    /// What `datapackage.json` says beyond its resources (title, license, version, created).
    public var package = DataPackage(name: "")

    /// What ``run()`` did with the records; they balance once it returns. A dry run counts the
    /// records it printed as written.
    public internal(set) var counts = Counts()
    /// Per step, in order.
    public internal(set) var stepCounts: [StepCount] = []
    /// The files ``run()`` wrote, in order: each table output, or one per resource and folder
    /// output for a source with several resources. Neither the rejects file nor
    /// `datapackage.json` is among them; a dry run writes none.
    public internal(set) var writtenFiles: [WrittenFile] = []
    /// The sources' own counts (skipped lines, padded rows, paging numbers…), summed by name.
    public internal(set) var counters: [(name: String, value: Int)] = []
    /// What the sources decided by themselves (the header line or delimiter `auto` found), in order.
    public internal(set) var notes: [String] = []

    /// Whether the records written are also kept (a resource that another one of its release
    /// joins or refers to), in a store that spills past an eighth of ``memory``.
    public var retainsRecords = false
    /// The bytes that store may hold in memory before it spills; nil for an eighth of ``memory``
    /// (a release's runner gives what is left of half its budget beside the stores before it).
    public var retainedLimit: Int?
    /// The records written, when ``retainsRecords``, once ``run()`` has begun.
    var retained: RetainedRecords?
    /// The fields written, once ``run()`` has prepared the steps.
    public internal(set) var outputSchema: RecordSchema?

    /// Whether ``run()`` profiles what it writes (``profiles``), for the run report. It costs a
    /// little per value, and takes the fused path away (which writes no record to look at).
    public var profilesWritten = false
    /// The profile of each table written: one for a table run, one per resource for a source with
    /// several resources; empty unless ``profilesWritten``.
    public internal(set) var profiles: [TableProfile] = []
    /// The table's profile while ``run()`` writes it.
    var profile: TableProfile?
    /// The records rejected, grouped by rule and field, once ``run()`` returns.
    public internal(set) var rejectTally = RejectTally()

    /// The columns (labels as read) each source had at the last published run, by the source's
    /// position; nil for none (a first run), when ``Pipeline/onSchemaChange`` does not compare.
    public var previousColumns: [[String]]?
    /// The columns each table source had in this run, by position (for the next run's comparison).
    public internal(set) var sourceColumns: [[String]] = []

    /// Sources the caller opened already, by their index in the pipeline (`convert` opens its
    /// input once to see its shape; standard input cannot be opened twice).
    public var opened: [Int: OpenedSource] = [:]

    var steps: [any PipelineStep]
    var lastProgress = 0.0
    /// In ``checkShape()``: sources are opened, nothing is written.
    private var checking = false

    /// - Parameters:
    ///   - folder: the folder that receives every output by name, or nil for their own paths.
    ///   - rejects: the rejects file (default: `<name>.rejects.ndjson` in `folder`, or beside the first output).
    ///   - publication: files publish together through it instead of one by one.
    public init(pipeline: Pipeline, folder: String?, rejects: String? = nil, publication: Publication? = nil) {
        self.pipeline = pipeline
        self.folder = folder
        self.publication = publication
        steps = pipeline.steps
        let base = folder ?? pipeline.outputDirectory
        rejectsPath = rejects ?? base + "/\(pipeline.name).rejects.ndjson"
        package = pipeline.package ?? DataPackage(name: pipeline.name)
        package.name = pipeline.name
        package.sources = pipeline.sources.map(\.place)
    }

    /// Reads every source through the steps into every output, and finishes the rejects.
    public mutating func run() throws {
        retained =
            retainsRecords
            ? RetainedRecords(
                limit: retainedLimit ?? RetainedRecords.limit(for: memory),
                folder: memory.folder ?? folder ?? pipeline.outputDirectory)
            : nil
        var rejects = RejectsWriter(path: rejectsPath, publication: publication)
        rejects.removesStale = removesStaleRejects
        // Only resources (written as they are): nothing can be rejected, and no rejects file is touched.
        guard let (schema, streams) = try prepareStreams() else { return }
        var sinks = try dryRun ? [] : makeSinks()
        if !dryRun && sinks.isEmpty {
            throw PublicaError(
                .usage,
                "the sources are tables, but the only outputs are a folder (for a source with several "
                    + "resources) or a data package: name an output file (e.g. out/NAME.ndjson)",
                at: pipeline.outputsLocation)
        }
        for index in sinks.indices { try sinks[index].sink.begin(schema: schema) }
        if profilesWritten && !dryRun {
            profile = TableProfile(name: pipeline.name, fieldNames: schema.fieldNames, declaredTypes: declaredTypes)
        }
        var flow = Flow(schema: schema, steps: steps)
        defer { stepCounts = flow.chain.counts }
        for stream in streams {
            var source = stream.source
            do {
                try flow(&source, engine: &self, sinks: &sinks, rejects: &rejects)
            } catch  where Termination.signal != nil {
                // Stopped by the signal, whatever failed after it: a pattern match it cut short
                // answers no match, which must not become a data error (`on_error: fail`).
                try Termination.check()
                throw error
            }
            addCounters(source.counters)
            if dryRun, let limit, flow.sample.count >= limit { break }
        }
        if !(dryRun && limit.map { flow.sample.count >= $0 } == true) {
            try flow.finish(engine: &self, sinks: &sinks, rejects: &rejects)
        }
        if dryRun {
            try printSample(flow.sample.prefix(limit ?? flow.sample.count), schema: schema)
            return
        }
        log.progress("")
        try checkBalance(flow.chain.counts)
        try finish(&sinks, schema: schema, types: flow.fieldTypes)
        try rejects.finish()
        rejectTally = rejects.tally
        if let profile { profiles.append(profile) }
        profile = nil
    }

    /// The schema's type of each field it declares.
    private var declaredTypes: [String: String] {
        Dictionary(
            (pipeline.schema?.fields ?? []).map { ($0.name, $0.type.rawValue) }, uniquingKeysWith: { first, _ in first }
        )
    }

    /// Opens the sources and prepares the steps, reading no record: the shape the outputs would
    /// get, or the first problem at its place (`publica check`). Nil for a source with several
    /// resources and no steps, whose shapes come from reading it.
    public mutating func checkShape() throws -> RecordSchema? {
        checking = true
        defer { checking = false }
        return try prepareStreams()?.schema
    }

    /// The sources opened (with different fields, concatenated by name) and the steps prepared.
    private mutating func prepareStreams() throws -> (
        schema: RecordSchema, streams: [(schema: RecordSchema, source: any RecordSource)]
    )? {
        var streams = try openStreams()
        guard !streams.isEmpty else { return nil }
        var schema = streams[0].schema
        if streams.contains(where: { $0.schema.fieldNames != schema.fieldNames }) {
            (schema, streams) = aligned(streams)
        }
        shareMemory()
        for index in steps.indices {
            if var validate = steps[index] as? SchemaStep, !validate.converts {
                validate.followsCast = steps[..<index].contains { ($0 as? SchemaStep)?.converts == true }
                steps[index] = validate
            }
            schema = try prepare(&steps[index], schema, at: index)
        }
        outputSchema = schema
        return (schema, streams)
    }

    /// Opens every source; a source with several resources (a bulletin) and no steps is written
    /// (or, in a dry run, sampled) here, resource by resource.
    private mutating func openStreams() throws -> [(schema: RecordSchema, source: any RecordSource)] {
        var streams: [(schema: RecordSchema, source: any RecordSource)] = []
        for (index, source) in pipeline.sources.enumerated() {
            let opened =
                try self.opened.removeValue(forKey: index)
                ?? Formats.sources.open(source.path, format: source.format, options: source.options)
            switch opened {
            case .single(let single):
                notes += single.notes.map { "\(source.place): \($0)" }
                try compareColumns(single.schema.originalLabels, of: source, at: index)
                streams.append((single.schema, single))
            case .multiple(var multiple):
                let resources = try multiple.readResources()
                if let wanted = source.resource {
                    guard let resource = resources.first(where: { $0.name == wanted }) else {
                        throw PublicaError(
                            .usage,
                            "source '\(source.name)' has no resource '\(wanted)' "
                                + "(it has: \(resources.map(\.name).joined(separator: ", ")))")
                    }
                    streams.append((resource.schema, ResourceSource(resource: resource)))
                } else {
                    guard steps.isEmpty else {
                        throw PublicaError(
                            .usage,
                            "source '\(source.name)' has several resources: name one with 'resource:' to run steps on it"
                        )
                    }
                    if checking {
                        continue
                    } else if dryRun {
                        try printSample(of: resources)
                    } else {
                        try writeResources(resources)
                    }
                }
            }
        }
        return streams
    }

    /// Keeps the source's columns, and holds them against the last published run's as the
    /// pipeline's ``Pipeline/onSchemaChange`` says: a change stops the run (`fail`) or is noted.
    private mutating func compareColumns(_ columns: [String], of source: Pipeline.Source, at index: Int) throws {
        sourceColumns.append(columns)
        guard pipeline.onSchemaChange != .ignore, let previous = previousColumns, index < previous.count,
            let change = SchemaDrift.describe(from: previous[index], to: columns)
        else { return }
        let message = "the columns of \(source.place) changed since the last published run: \(change)"
        guard pipeline.onSchemaChange == .evolve else {
            throw PublicaError(
                .data,
                message + " (on_schema_change: fail; set it to evolve to publish the new columns, or run once with "
                    + "--accept-schema-change)", at: SourceLocation(file: source.place, line: 1))
        }
        notes.append(message + " (on_schema_change: evolve)")
    }

    /// Sources with different fields, concatenated by name: the first source's fields, then each
    /// new one in the order met; a source without a field gets null there, and a note says so.
    private mutating func aligned(_ streams: [(schema: RecordSchema, source: any RecordSource)]) -> (
        RecordSchema, [(schema: RecordSchema, source: any RecordSource)]
    ) {
        var names = streams[0].schema.fieldNames
        var labels = streams[0].schema.originalLabels
        for stream in streams.dropFirst() {
            for (name, label) in zip(stream.schema.fieldNames, stream.schema.originalLabels) where !names.contains(name)
            {
                names.append(name)
                labels.append(label)
            }
        }
        let union = RecordSchema(fieldNames: names, originalLabels: labels)
        let sources = streams.enumerated().map { index, stream -> (schema: RecordSchema, source: any RecordSource) in
            let missing = names.filter { !stream.schema.fieldNames.contains($0) }
            if !missing.isEmpty {
                notes.append(
                    "\(pipeline.sources[min(index, pipeline.sources.count - 1)].place): no column "
                        + "\(missing.joined(separator: ", ")); null in its records")
            }
            return (union, AlignedSource(inner: stream.source, schema: union))
        }
        return (union, sources)
    }

    /// What the engine keeps of the memory budget for its own buffers (a quarter of a smaller budget).
    static let bufferReserve = 64 << 20

    /// Gives each step that holds records its equal share of ``memory`` (less what the engine keeps
    /// for its own buffers), and the folder to spill into.
    private mutating func shareMemory() {
        let spilling = steps.indices.filter { (steps[$0] as? any SpillingStep)?.needsMemory == true }
        guard !spilling.isEmpty else { return }
        // The engine's own buffers (the reader's, the batches in flight, the writers') come out
        // of the budget first: with the default budget the whole run keeps within it (a small
        // budget or many outputs can take more than the quarter kept).
        let reserve = min(memory.bytes / 4, Engine.bufferReserve)
        let share = MemoryBudget(
            bytes: max((memory.bytes - reserve) / spilling.count, 1 << 16),
            folder: memory.folder ?? folder ?? pipeline.outputDirectory)
        for index in spilling {
            var step = steps[index] as! any SpillingStep
            step.use(share)
            steps[index] = step
        }
    }

    /// A step's outgoing shape; its errors, and a blank or repeated field name it would publish
    /// (`rename: {a: id}` beside an `id`), are reported at the step's place in the pipeline file.
    private func prepare(_ step: inout any PipelineStep, _ schema: RecordSchema, at index: Int) throws -> RecordSchema {
        let location = index < pipeline.stepLocations.count ? pipeline.stepLocations[index] : nil
        let prepared: RecordSchema
        do {
            prepared = try step.prepare(schema)
        } catch var error as PublicaError where error.location == nil {
            error.location = location
            throw error
        }
        var seen = Set<String>()
        for name in prepared.fieldNames {
            if name.isEmpty {
                throw PublicaError(.usage, "\(step.name): a field would have a blank name", at: location)
            }
            if !seen.insert(name).inserted {
                throw PublicaError(
                    .usage, "\(step.name): two fields would be named '\(name)'; every output field needs its own name",
                    at: location)
            }
        }
        return prepared
    }

    /// Nothing lost: every record read reaches the first step or the rejects, each step passes
    /// on what the next one takes, the last step's records are the ones written, and read +
    /// reshaped = written + rejected + dropped. Anything else is a bug: nothing is published.
    private mutating func checkBalance(_ steps: [StepCount]) throws {
        counts.reshaped = steps.reduce(0) { $0 + $1.reshaped }
        var problems: [String] = []
        if let first = steps.first, first.input != counts.read - counts.rejectedBySource {
            problems.append(
                "\(counts.read - counts.rejectedBySource) records reached the steps, the first took \(first.input)")
        }
        for (index, (step, next)) in zip(steps, steps.dropFirst()).enumerated() where step.output != next.input {
            problems.append("step \(index + 1) passed on \(step.output) records, step \(index + 2) took \(next.input)")
        }
        if let last = steps.last, last.output != counts.written {
            problems.append("the last step passed on \(last.output) records, \(counts.written) were written")
        }
        if !steps.isEmpty, steps.reduce(counts.rejectedBySource, { $0 + $1.rejected }) != counts.rejected {
            problems.append("the steps and sources rejected a different number of records than the rejects file holds")
        }
        if !counts.balance {
            problems.append(
                "\(counts.read) read + \(counts.reshaped) reshaped is not \(counts.written) written + "
                    + "\(counts.rejected) rejected + \(counts.dropped) dropped")
        }
        guard problems.isEmpty else {
            throw PublicaError(.internal, "record counts do not balance: " + problems.joined(separator: "; "))
        }
    }

    private mutating func addCounters(_ more: [(name: String, value: Int)]) {
        for counter in more {
            if let index = counters.firstIndex(where: { $0.name == counter.name }) {
                counters[index].value += counter.value
            } else {
                counters.append(counter)
            }
        }
    }

    /// A progress line on a terminal, at most four times a second.
    mutating func showProgress() {
        guard log.showsProgress else { return }
        let time = Engine.now()
        if time - lastProgress > 0.25 {
            lastProgress = time
            log.progress(
                "\(pipeline.name): \(counts.read) records read, \(counts.written) written, \(counts.rejected) rejected")
        }
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

extension Engine {
    /// Records read, written, rejected and dropped on purpose; they always balance.
    public struct Counts: Sendable, Hashable {
        /// Records read from the sources (those a source rejected included), written (once, however
        /// many outputs), rejected, and dropped on purpose by a step.
        public var read = 0, written = 0, rejected = 0, dropped = 0
        /// Records the reshaping steps made beyond those they took (one row into k adds k - 1;
        /// n rows into g groups adds g - n, a negative number); 0 without such steps.
        public var reshaped = 0
        /// Of ``rejected``, the records a source could not make (a ragged row), which reach no step.
        public var rejectedBySource = 0
        /// Whether read + reshaped = written + rejected + dropped; anything else is a bug, and
        /// ``Engine/run()`` throws rather than publish.
        public var balance: Bool { read + reshaped == written + rejected + dropped }
    }

    /// One step's counts and time.
    public struct StepCount: Sendable, Hashable {
        /// Records that reached the step, those it passed on (made, for a reshaping step), and
        /// those it dropped and rejected: input + ``reshaped`` = output + dropped + rejected.
        public var input = 0, output = 0, dropped = 0, rejected = 0
        /// Time spent in the step, in seconds: an estimate, timed on every 16th record and scaled up.
        public var seconds = 0.0

        /// Records the step made beyond those it took: 0 for a step that keeps, drops or rejects
        /// each record; k - 1 per record made into k; g - n for n records made into g.
        public var reshaped: Int { output + dropped + rejected - input }
    }

    /// A file the engine wrote, for the report and the data package.
    public struct WrittenFile {
        /// The file's name, without its folder (`sales.csv`).
        public var name: String
        /// The format it was written in (`csv`, `ndjson`…).
        public var format: String
        /// Records written into it (a header line not counted).
        public var rows: Int
        /// Its size in bytes.
        public var bytes: Int
        /// Its SHA-256, in lowercase hex; empty when it was not hashed (a table output with
        /// ``Engine/hashesOutputs`` false).
        public var sha256: String
        /// Its fields, in order.
        public var schema: RecordSchema
        /// A Table Schema type per field, guessed from the records written (a table's first 1,000;
        /// all `string` where the fused CSV → NDJSON path wrote them). In `datapackage.json` the
        /// pipeline schema's types come first.
        public var fieldTypes: [String]
        /// The resource's title, for a file of a source with several resources; nil for a table output.
        public var title: String?
    }
}
