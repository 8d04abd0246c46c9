internal import CPublicaSystem
import Foundation
import Logging
import PublicaCore
import PublicaExport
import PublicaFetch
import PublicaIngest
import PublicaJSON
import PublicaSQLite
import PublicaValidation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a pipeline the way cron needs it: one run at a time (a lock), all outputs published at
/// once or not at all, nothing to do when nothing changed, quality gates before publishing,
/// a report whose counts prove that no record was lost, and exit codes that mean something.
///
/// Publishing: everything is written into a staging folder beside the output folder, synced,
/// and swapped with the output folder in one `renameat2(RENAME_EXCHANGE)`. A failure or a
/// `kill -9` at any moment leaves the previous outputs as they were.
public final class PipelineRunner {
    /// How a run behaves: `publica run`'s `--dry-run`, `--limit`, `--full-refresh`, `--wait` and logging.
    public struct Options: Sendable {
        /// Read and run the steps, print the first records as NDJSON, write and publish nothing.
        public var dryRun = false
        /// Dry run: how many records to print (reading stops there); nil for every record of a
        /// table, the first 10 of each resource of a multi-resource source.
        public var limit: Int?
        /// Run even when inputs, pipeline, schema, environment and outputs are unchanged.
        public var fullRefresh = false
        /// Wait for the lock instead of exiting 75.
        public var wait = false
        /// `--replay DIR`: remote sources read the responses an earlier run kept (`keep_raw`)
        /// in `DIR` (its output folder, or the `raw/` folder in it); nothing is fetched.
        public var replay: String?
        /// `--resume`: remote sources go on after the pages a failed run of today kept.
        public var resume = false
        /// Publish even when a source's columns changed since the last published run, whatever
        /// `on_schema_change` says (once, to accept a change).
        public var acceptsSchemaChange = false
        /// The memory the steps that hold records may use before they spill (`--memory`).
        public var memory = MemoryBudget()
        /// Where the run's messages go: by default a `Logger` labelled `publica`, handled as the
        /// program bootstrapped swift-log (the command line passes its own standard-error log).
        public var log = RunLog(logger: Logger(label: "publica"))

        /// A real run: publishes, skips when nothing changed, exits 75 if the lock is held.
        public init() {}
    }

    /// The loaded and checked pipeline this runner runs (during a run, its remote sources name
    /// the folder they were fetched into).
    public internal(set) var pipeline: Pipeline
    /// How each ``run()`` behaves.
    public let options: Options
    /// During a run, the URLs of the downloads that were not fetched: unchanged since the last
    /// run (HTTP 304), their fingerprint the last run's.
    var unchangedDownloads = Set<String>()
    /// During a run with `--resume`, the folder of pages an earlier run of today kept.
    var resumable: String?

    /// A runner for `pipeline`; nothing is read or locked until ``run()``.
    public init(pipeline: Pipeline, options: Options = Options()) {
        self.pipeline = pipeline
        self.options = options
    }

    var outputDirectory: String { pipeline.outputDirectory }
    var parent: String { outputDirectory.lastIndex(of: "/").map { String(outputDirectory[..<$0]) } ?? "." }
    var baseName: String { outputDirectory.split(separator: "/").last.map(String.init) ?? outputDirectory }

    // MARK: - Run

    /// Runs the pipeline and returns the exit status to report.
    public func run() throws -> ExitStatus {
        do {
            return try runLocked()
        } catch var error as PublicaError {
            // The reading options a message suggests are the pipeline file's keys, not flags.
            error.naming = .pipelineFile
            throw error
        }
    }

    private func runLocked() throws -> ExitStatus {
        OutputFile.makeDirectories(parent)
        let lock = try acquireLock()
        defer { close(lock) }
        recoverInterruptedPublish()
        // Checked again under the lock: the folder may have changed since the file was loaded.
        let folder = OutputFolder(path: outputDirectory)
        if let problem = folder.ownershipProblem(of: pipeline) {
            throw PublicaError(.usage, problem, at: pipeline.outputsLocation)
        }

        let previous = folder.state()
        // A replay is asked for: it runs, whatever the kept responses' fingerprint says.
        let mayDoNothing = !options.fullRefresh && !options.dryRun && options.replay == nil
        let fetched = try fetchRemoteSources(previous: mayDoNothing ? previous : nil)
        defer {
            if let fetched { removeTree(fetched) }
            unchangedDownloads = []
        }
        if hasRemoteSources && onlyEmptyResults && !options.dryRun {
            options.log.info(
                "nothing to publish: the service has no data for this request; what was published is kept",
                [("pipeline", .text(pipeline.name))])
            return .success
        }
        var (fingerprint, files, streamed) = try self.fingerprint(previous: previous?["files"])
        if mayDoNothing && !streamed, let previous, previous["fingerprint"] == fingerprint,
            publishedFilesUnchanged(previous)
        {
            options.log.info(
                "nothing to do: inputs, pipeline, schema, environment and outputs are unchanged since the last run",
                [("pipeline", .text(pipeline.name))])
            return .success
        }
        if let fetched, !unchangedDownloads.isEmpty {
            try fetchUnchangedDownloads(into: fetched)
            (fingerprint, files, streamed) = try self.fingerprint(previous: previous?["files"])
        }

        let staging = try makeStaging()
        var published = false
        defer { if !published { removeTree(staging) } }

        let started = Date()
        let stages = try runTables(into: staging, previous: options.acceptsSchemaChange ? nil : previous?["columns"])
        if options.dryRun { return .success }

        for stage in stages { try checkNothingLost(stage) }
        let stage = PipelineRunner.total(stages)
        let gates = qualityGates(
            stages, previousRows: previous?["rows"].flatMap { if case .integer(let n) = $0 { Int(n) } else { nil } })
        if let failed = gates.first(where: { !$0.passed }) {
            options.log.error(
                "quality gate failed, nothing published: \(failed.failure)", [("pipeline", .text(pipeline.name))])
            return .qualityGateFailed
        }
        let status: ExitStatus = stage.rejected > 0 ? .publishedWithRejects : .success
        try Termination.check()
        try keepRawResponses(in: staging)
        try writePackageReportAndState(
            stages, staging: staging, fingerprint: fingerprint, files: files, started: started, status: status,
            issued: previous?["issued"]?.string, gates: gates,
            changes: changes(stages, staging: staging, previous: previous))
        try publish(staging, replacing: previous)
        published = true
        logPublished(stages)
        return status
    }

    /// Runs every table into the staging folder, a resource that another one joins or refers to
    /// first, its written records kept for that one; the stages in the tables' own order.
    private func runTables(into staging: String, previous columns: FieldValue?) throws -> [Engine] {
        let tables = pipeline.tables
        guard let order = Release.order(tables) else {
            throw PublicaError(.usage, "the resources' joins and foreign keys go round in a circle")
        }
        var stages: [Engine?] = Array(repeating: nil, count: tables.count)
        var written: [String: LookupSide] = [:]
        // A release's SQLite database holds a table per resource.
        let shared = pipeline.resources.isEmpty || options.dryRun ? nil : SharedDatabases()
        for index in order {
            var table = tables[index]
            try PipelineRunner.provide(written, to: &table)
            var stage = Engine(pipeline: table, folder: staging)
            stage.dryRun = options.dryRun
            stage.limit = options.limit
            stage.log = options.log
            stage.profilesWritten = !options.dryRun
            // The records kept for later resources are in memory beside this run, and so is the
            // store of this one's if a later one reads it: out of its budget. All the stores
            // together keep to half the budget (one that finds no room spills at once).
            let kept = written.values.reduce(0) { $0 + ($1.retained?.bytesInMemory ?? 0) }
            stage.retainsRecords = Release.isRead(table.name, in: tables)
            let room = max(0, options.memory.bytes / 2 - kept)
            let ownLimit = stage.retainsRecords ? min(RetainedRecords.limit(for: options.memory), room) : 0
            stage.retainedLimit = ownLimit
            stage.memory = options.memory
            stage.memory.bytes = options.memory.bytes - min(kept, options.memory.bytes / 2) - ownLimit
            stage.previousColumns = columns?[table.name]?.items?.map { $0.items?.compactMap(\.string) ?? [] }
            if tables.count > 1 { stage.sampleResource = table.name }
            stage.sharedDatabases = shared
            try stage.run()
            for note in stage.notes { options.log.info(note, [("pipeline", .text(pipeline.name))]) }
            if stage.retainsRecords, let schema = stage.outputSchema {
                written[table.name] = LookupSide(schema: schema, retained: stage.retained)
            }
            stage.retained = nil
            stages[index] = stage
        }
        var done = stages.compactMap { $0 }
        if let shared { try PipelineRunner.commit(shared, into: &done) }
        return done
    }

    /// Commits the release's shared databases into the staging folder and gives each resource's
    /// entry for one the file's size and hash.
    private static func commit(_ shared: SharedDatabases, into stages: inout [Engine]) throws {
        for database in try shared.commit() {
            let name = database.path.split(separator: "/").last.map(String.init) ?? database.path
            for stage in stages.indices {
                for file in stages[stage].writtenFiles.indices
                where stages[stage].writtenFiles[file].name == name
                    && stages[stage].writtenFiles[file].format == "sqlite"
                {
                    stages[stage].writtenFiles[file].bytes = database.bytes
                    stages[stage].writtenFiles[file].sha256 = database.sha256
                }
            }
        }
    }

    /// Checks every table's shape without reading a record: each source's header, each step's
    /// fields (a step naming a field that is not there is reported at its line), the shapes the
    /// joins and foreign keys read. Throws the first problem.
    public func checkShapes() throws {
        let tables = pipeline.tables
        guard let order = Release.order(tables) else { return }
        var shapes: [String: LookupSide] = [:]
        for index in order {
            var table = tables[index]
            try PipelineRunner.provide(shapes, to: &table, records: false)
            var stage = Engine(pipeline: table, folder: nil)
            if let schema = try stage.checkShape() { shapes[table.name] = LookupSide(schema: schema, retained: nil) }
        }
    }

    /// A resource's written records, for the joins and foreign keys of the resources after it.
    struct LookupSide {
        var schema: RecordSchema
        /// Nil for its shape alone.
        var retained: RetainedRecords?
    }

    /// Gives a table's joins and foreign-key checks the resources they read (run before it); with
    /// `records` false, only their shapes (``check(_:)``). Each step reads the records into its
    /// own index (or sort) when it is prepared, within its share of the budget.
    static func provide(_ written: [String: LookupSide], to table: inout Pipeline, records: Bool = true) throws {
        for index in table.steps.indices {
            guard let name = Release.dependency(of: table.steps[index]), let side = written[name] else { continue }
            let retained = records ? side.retained : nil
            if var join = table.steps[index] as? JoinStep {
                join.rightSchema = side.schema
                join.table = retained.map {
                    LookupTable(schema: side.schema, retained: $0, describedAs: "join with resource \(name)")
                }
                table.steps[index] = join
            } else if var check = table.steps[index] as? ForeignKeyStep {
                check.referencedSchema = side.schema
                check.table = retained.map {
                    LookupTable(schema: side.schema, retained: $0, describedAs: "foreign key to resource \(name)")
                }
                table.steps[index] = check
            }
        }
    }

    /// The counts of all stages together (a release's totals).
    static func total(_ stages: [Engine]) -> Engine.Counts {
        stages.reduce(into: Engine.Counts()) { total, stage in
            total.read += stage.counts.read
            total.written += stage.counts.written
            total.rejected += stage.counts.rejected
            total.dropped += stage.counts.dropped
            total.reshaped += stage.counts.reshaped
            total.rejectedBySource += stage.counts.rejectedBySource
        }
    }

    /// A new, empty staging folder beside the output folder (named by this process, so a killed
    /// run's folder is recognised and removed by the next run).
    private func makeStaging() throws -> String {
        let staging = parent + "/.\(baseName).publica-staging-\(getpid())"
        removeTree(staging)
        guard mkdir(staging, 0o755) == 0 else {
            throw PublicaError.system(errno, "cannot create the staging folder", path: staging)
        }
        return staging
    }

    /// Nothing lost: every record read is written, rejected or dropped on purpose; anything else
    /// is a bug, and nothing is published.
    private func checkNothingLost(_ stage: Engine) throws {
        guard stage.counts.balance else {
            throw PublicaError(
                .internal,
                "record counts do not balance: \(stage.counts.read) read, \(stage.counts.reshaped) reshaped, "
                    + "\(stage.counts.written) written, \(stage.counts.rejected) rejected, "
                    + "\(stage.counts.dropped) dropped")
        }
    }

    /// Into the staging folder, beside the outputs: `datapackage.json` (if the pipeline has one),
    /// the run report, and the state the next run compares itself with.
    private func writePackageReportAndState(
        _ stages: [Engine], staging: String, fingerprint: FieldValue, files: FieldValue,
        started: Date, status: ExitStatus, issued: String?, gates: [GateOutcome], changes: FieldValue
    ) throws {
        // Inputs as the pipeline file names them, never by this machine's folders.
        let folder = (PathNormalization.absolute(pipeline.file) as NSString).deletingLastPathComponent
        let sources = pipeline.sources.map {
            $0.remote == nil ? PathNormalization.relative($0.path, to: folder) : $0.place
        }
        var package: DataPackage
        var names = Set<String>()
        if pipeline.resources.isEmpty {
            var stage = stages[0]
            stage.package.sources = sources
            try stage.writeDataPackage()
            package = stage.package
            package.entries = stage.dataPackageEntries(names: &names)
        } else {
            package = pipeline.package ?? DataPackage(name: pipeline.name)
            package.name = pipeline.name
            package.sources = sources
            // The shared database once, not once per table in it.
            var databases = Set<String>()
            package.entries = stages.flatMap { $0.dataPackageEntries(names: &names) }.filter {
                $0.format != "sqlite" || databases.insert($0.path).inserted
            }
            try package.write(to: staging + "/datapackage.json")
        }
        if pipeline.writesDCAT {
            let today = PipelineRunner.today()
            try DCATDataset(package: package, baseURL: pipeline.baseURL, issued: issued ?? today, modified: today)
                .write(to: staging + "/" + PipelineRunner.dcatName)
        }
        try writeDatasetteMetadata(stages, package: package, staging: staging)
        let report = try report(
            stages, files: files, started: started, status: status, gates: gates, changes: changes)
        try writeJSON(report, to: staging + "/" + OutputFolder.reportName)
        var page = OutputBuffer(file: try OutputFile(path: staging + "/" + OutputFolder.reportPageName))
        try page.append(RunReportPage(report: report, title: pipeline.package?.title).html)
        try page.commitFile()
        try writeJSON(
            .object([
                ("pipeline", .text(PathNormalization.absolute(pipeline.file))), ("fingerprint", fingerprint),
                ("files", files), ("rows", .integer(Int64(PipelineRunner.total(stages).written))),
                (
                    "columns",
                    .object(
                        stages.map { stage in
                            (stage.pipeline.name, .list(stage.sourceColumns.map { .list($0.map(FieldValue.text)) }))
                        })
                ),
                ("issued", .text(issued ?? PipelineRunner.today())),
                ("published", .list(try publishedFiles(staging, stages)))
            ]),
            to: staging + "/" + OutputFolder.stateName)
    }

    /// Datasette's `metadata.json` beside the SQLite databases, when the run wrote any.
    private func writeDatasetteMetadata(_ stages: [Engine], package: DataPackage, staging: String) throws {
        var databases: [(file: String, tables: [TableDescription])] = []
        for stage in stages {
            for file in stage.writtenFiles where file.format == "sqlite" {
                if let index = databases.firstIndex(where: { $0.file == file.name }) {
                    databases[index].tables.append(stage.tableDescription)
                } else {
                    databases.append((file.name, [stage.tableDescription]))
                }
            }
        }
        guard !databases.isEmpty else { return }
        try writeJSON(
            DatasetteMetadata(package: package, databases: databases).document,
            to: staging + "/" + DatasetteMetadata.fileName)
    }

    /// The DCAT-AP record each run publishes beside its outputs (unless `dcat: false`).
    static let dcatName = "dcat.jsonld"

    /// This machine's date (ISO 8601), for the catalogue record's issued and modified days.
    static func today() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }

    /// The log line of a published run, with its counts and where the rejected records are.
    private func logPublished(_ stages: [Engine]) {
        let total = PipelineRunner.total(stages)
        var fields: [(String, FieldValue)] = [
            ("pipeline", .text(pipeline.name)), ("read", .integer(Int64(total.read))),
            ("written", .integer(Int64(total.written))), ("rejected", .integer(Int64(total.rejected))),
            ("dropped", .integer(Int64(total.dropped)))
        ]
        if total.reshaped != 0 { fields.append(("reshaped", .integer(Int64(total.reshaped)))) }
        let rejectsFiles = stages.filter { $0.counts.rejected > 0 }.map {
            outputDirectory + "/\($0.pipeline.name).rejects.ndjson"
        }
        if !rejectsFiles.isEmpty { fields.append(("rejects", .text(rejectsFiles.joined(separator: ", ")))) }
        options.log.info(
            "published \(outputDirectory)"
                + (rejectsFiles.isEmpty ? "" : "; rejected records are in \(rejectsFiles.joined(separator: ", "))"),
            fields)
    }

    // MARK: - Lock, fingerprint, gates

    private func acquireLock() throws -> Int32 {
        let path = parent + "/.\(baseName).publica.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw PublicaError.system(errno, "cannot open the lock file", path: path)
        }
        if flock(fd, LOCK_EX | (options.wait ? 0 : LOCK_NB)) != 0 {
            close(fd)
            throw PublicaError(
                Kind.locked, "another run of this pipeline holds the lock (\(path)); try later or use --wait")
        }
        return fd
    }

    /// A publish interrupted between its renames (only on systems without an atomic exchange) is finished.
    private func recoverInterruptedPublish() {
        let backup = parent + "/.\(baseName).publica-previous"
        var info = stat()
        if stat(outputDirectory, &info) != 0 && stat(backup, &info) == 0 {
            rename(backup, outputDirectory)
        }
        removeTree(backup)
        // A killed run's staging folder holds only what it wrote (the run made it, empty, with mkdir).
        for entry in OutputFolder.entries(of: parent)
        where entry.hasPrefix(".\(baseName).publica-staging-") || entry.hasPrefix(".\(baseName).publica-fetch-") {
            removeTree(parent + "/" + entry)
        }
    }

    /// What decides whether a run has anything to do: the inputs' contents (sha256), the pipeline
    /// file and the schema file. An input whose size and modification time are as last time is
    /// not read again: its recorded hash is reused, so an unchanged run ends in milliseconds, and a
    /// file only touched (new time, same bytes) still has nothing to do. An input that is not a
    /// regular file (a FIFO, standard input) can be read only once: it is not hashed, and the
    /// run always has something to do (`streamed`).
    private func fingerprint(previous: FieldValue?) throws -> (
        fingerprint: FieldValue, files: FieldValue, streamed: Bool
    ) {
        var hashes: [FieldValue] = []
        var files: [FieldValue] = []
        var streamed = false
        for source in pipeline.sources {
            if let remote = source.remote {
                let entry = try remoteInput(remote, fetchedInto: source.path, previous: previous)
                hashes.append(.object([("path", entry["path"] ?? .null), ("sha256", entry["sha256"] ?? .null)]))
                files.append(entry)
                continue
            }
            var info = stat()
            guard stat(source.path, &info) == 0 else {
                throw PublicaError.system(errno, "cannot read", path: source.path)
            }
            guard info.st_mode & S_IFMT == S_IFREG else {
                streamed = true
                files.append(.object([("path", .text(source.path)), ("bytes", .null), ("sha256", .null)]))
                continue
            }
            let bytes = FieldValue.integer(Int64(info.st_size))
            let mtime = FieldValue.integer(Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
            let known = previous?.items?.first {
                $0["path"] == .text(source.path) && $0["bytes"] == bytes && $0["mtime"] == mtime
            }
            let hash = try known?["sha256"]?.string ?? sha256(of: source.path)
            hashes.append(.object([("path", .text(source.path)), ("sha256", .text(hash))]))
            files.append(
                .object([("path", .text(source.path)), ("bytes", bytes), ("mtime", mtime), ("sha256", .text(hash))]))
        }
        var parts: [(key: String, value: FieldValue)] = [
            ("inputs", .list(hashes)), ("pipeline", .text(try sha256(of: pipeline.file)))
        ]
        if pipeline.resources.isEmpty, let schemaFile = pipeline.schemaFile {
            parts.append(("schema", .text(try sha256(of: schemaFile))))
        }
        let others = pipeline.resources.compactMap(\.schemaFile) + pipeline.lookupFiles
        if !others.isEmpty { parts.append(("files", .list(try others.map { .text(try sha256(of: $0)) }))) }
        let profiles = pipeline.sources.compactMap { $0.options.extra["profile"] }
        if !profiles.isEmpty { parts.append(("profiles", .list(try profiles.map { .text(try sha256(of: $0)) }))) }
        if !pipeline.environmentUsed.isEmpty {
            // Only a hash: the values may be secrets.
            var digest = SHA256()
            for (name, value) in pipeline.environmentUsed.sorted(by: { $0.key < $1.key }) {
                digest.update(Array("\(name)=\(value)\n".utf8))
            }
            parts.append(("environment", .text(digest.finalize())))
        }
        return (.object(parts), .list(files), streamed)
    }

    /// A remote input, by the manifest that lists each response's SHA-256 (the fetch folder is
    /// new every run, so the URL is what names it), a download's with its `ETag` and
    /// `Last-Modified`; one not fetched because it had not changed is the last run's entry.
    private func remoteInput(_ remote: RemoteSource, fetchedInto folder: String, previous: FieldValue?) throws
        -> FieldValue
    {
        let url = RequestURL(remote).shown
        if unchangedDownloads.contains(url), let last = previous?.items?.first(where: { $0["path"]?.string == url }) {
            return last
        }
        // The responses' hashes, not the manifest's bytes: a download's validators (a
        // Last-Modified that is the time of asking) must not make unchanged data a change.
        let manifest = try FetchManifest.read(folder: folder)
        var digest = SHA256()
        digest.update(Array("\(manifest.url)\n\(manifest.totalCount.map(String.init) ?? "-")\n".utf8))
        for page in manifest.pages { digest.update(Array("\(page.number) \(page.sha256)\n".utf8)) }
        var entry: [(key: String, value: FieldValue)] = [
            ("path", .text(url)), ("bytes", .null), ("sha256", .text(digest.finalize()))
        ]
        if remote.paging == .none, let page = manifest.pages.first {
            if let etag = page.etag { entry.append(("etag", .text(etag))) }
            if let date = page.lastModified { entry.append(("lastModified", .text(date))) }
        }
        return .object(entry)
    }

    // MARK: - Report and publishing

    /// The run report; `files` are the inputs as hashed before the run (read once, not again). A
    /// release's report has each resource's counts and steps, and the totals.
    private func report(
        _ stages: [Engine], files: FieldValue, started: Date, status: ExitStatus, gates: [GateOutcome],
        changes: FieldValue
    ) throws -> FieldValue {
        let formatter = ISO8601DateFormatter()
        let inputs: [FieldValue] = (files.items ?? []).map { file in
            .object([
                ("path", file["path"] ?? .null), ("bytes", file["bytes"] ?? .null), ("sha256", file["sha256"] ?? .null)
            ])
        }
        let outputs: [FieldValue] = stages.flatMap(\.writtenFiles).map { file in
            .object([
                ("path", .text(outputDirectory + "/" + file.name)), ("rows", .integer(Int64(file.rows))),
                ("bytes", .integer(Int64(file.bytes))), ("sha256", .text(file.sha256))
            ])
        }
        var report: [(key: String, value: FieldValue)] = [
            ("pipeline", .text(pipeline.name)), ("started", .text(formatter.string(from: started))),
            ("finished", .text(formatter.string(from: Date()))), ("inputs", .list(inputs)),
            ("records", PipelineRunner.describe(PipelineRunner.total(stages)))
        ]
        if pipeline.resources.isEmpty {
            report.append(("steps", PipelineRunner.describe(steps: stages[0])))
            report += PipelineRunner.describeQuality(of: stages[0])
        } else {
            report.append(
                (
                    "resources",
                    .list(
                        stages.map { stage in
                            .object(
                                [
                                    ("name", .text(stage.pipeline.name)),
                                    ("records", PipelineRunner.describe(stage.counts)),
                                    ("steps", PipelineRunner.describe(steps: stage))
                                ] + PipelineRunner.describeQuality(of: stage))
                        })
                ))
        }
        report += [
            ("gates", .list(gates.map(\.document))), ("changes", changes), ("outputs", .list(outputs)),
            ("exitCode", .integer(Int64(status.rawValue)))
        ]
        return .object(report)
    }

    /// A table's profiles and its rejects grouped by rule and field.
    static func describeQuality(of stage: Engine) -> [(key: String, value: FieldValue)] {
        [("profiles", .list(stage.profiles.map(\.document))), ("rejectGroups", stage.rejectTally.document)]
    }

    static func describe(_ counts: Engine.Counts) -> FieldValue {
        .object([
            ("read", .integer(Int64(counts.read))), ("written", .integer(Int64(counts.written))),
            ("rejected", .integer(Int64(counts.rejected))), ("dropped", .integer(Int64(counts.dropped))),
            ("reshaped", .integer(Int64(counts.reshaped)))
        ])
    }

    static func describe(steps stage: Engine) -> FieldValue {
        .list(
            zip(stage.pipeline.steps.map(\.name), stage.stepCounts).map { name, count in
                .object([
                    ("step", .text(name)), ("in", .integer(Int64(count.input))), ("out", .integer(Int64(count.output))),
                    ("dropped", .integer(Int64(count.dropped))), ("rejected", .integer(Int64(count.rejected))),
                    ("reshaped", .integer(Int64(count.reshaped))),
                    ("seconds", ExactDecimal(String(format: "%.3f", count.seconds)).map(FieldValue.decimal) ?? .null)
                ])
            })
    }

    private func writeJSON(_ value: FieldValue, to path: String) throws {
        var output = OutputBuffer(file: try OutputFile(path: path))
        try output.append(JSONText.pretty(value) + "\n")
        try output.commitFile()
    }

    /// Swaps the staging folder in; the old outputs leave with the staging folder's name and are
    /// removed, but only the files the previous run published (see ``removeReplaced(_:previous:)``).
    private func publish(_ staging: String, replacing previous: FieldValue?) throws {
        OutputFile.syncDirectory(of: staging + "/x")
        var info = stat()
        if lstat(outputDirectory, &info) == 0 {
            if publica_rename_exchange(staging, outputDirectory) == 0 {
                OutputFile.syncDirectory(of: outputDirectory)
                removeReplaced(staging, previous: previous)
                return
            }
            // A real failure (permission, space) is reported as such; only a missing exchange falls back.
            guard errno == ENOSYS || errno == EINVAL else {
                throw PublicaError.system(errno, "cannot publish", path: outputDirectory)
            }
            // No atomic exchange here: two renames; a run interrupted between them is finished by the next one.
            let backup = parent + "/.\(baseName).publica-previous"
            guard rename(outputDirectory, backup) == 0 else {
                throw PublicaError.system(errno, "cannot move the previous outputs aside", path: outputDirectory)
            }
            guard rename(staging, outputDirectory) == 0 else {
                let failure = PublicaError.system(errno, "cannot publish", path: outputDirectory)
                rename(backup, outputDirectory)  // may change errno: the failure is worded first
                throw failure
            }
            removeReplaced(backup, previous: previous)
        } else if rename(staging, outputDirectory) != 0 {
            throw PublicaError.system(errno, "cannot publish", path: outputDirectory)
        }
        OutputFile.syncDirectory(of: outputDirectory)
    }

    /// Removes the replaced folder's files that the previous run published. Anything else (a file
    /// someone put there while this run was working, or a folder or link put under a published
    /// name: Publica publishes regular files only) is kept: the folder is moved to
    /// `.<folder>.publica-kept-<time>` beside the outputs and the log says so.
    private func removeReplaced(_ old: String, previous: FieldValue?) {
        let published = Set(previous.map { OutputFolder.publishedNames(state: $0, folder: old) } ?? [])
        OutputFolder.remove(published, in: old)
        guard rmdir(old) != 0, errno == ENOTEMPTY || errno == EEXIST else { return }
        // A name no other run can take (pid and a counter); the staging name itself would be
        // cleared wholesale by the next run.
        for attempt in 0..<1000 {
            let kept = parent + "/.\(baseName).publica-kept-\(Int(Date().timeIntervalSince1970))-\(getpid())-\(attempt)"
            if rename(old, kept) == 0 {
                options.log.error(
                    "files that appeared in the output folder during the run were kept in \(kept)",
                    [("pipeline", .text(pipeline.name))])
                return
            }
        }
        let failure = PublicaError.system(
            errno, "files that appeared in the output folder during the run are in \(old), which could not be renamed")
        options.log.error(failure.message, [("pipeline", .text(pipeline.name))])
    }

    // MARK: - What was published

    /// Every file in the staging folder, with what tells later whether it is still as published.
    private func publishedFiles(_ staging: String, _ stages: [Engine]) throws -> [FieldValue] {
        let hashes = Dictionary(
            stages.flatMap(\.writtenFiles).map { ($0.name, $0.sha256) }, uniquingKeysWith: { first, _ in first })
        var files: [FieldValue] = [.object([("name", .text(OutputFolder.stateName))])]
        for name in OutputFolder.tree(of: staging) where name != OutputFolder.stateName {
            if name.hasSuffix("/") {
                files.append(.object([("name", .text(name))]))
                continue
            }
            var info = stat()
            guard lstat(staging + "/" + name, &info) == 0 else { continue }
            let hash = try hashes[name].flatMap { $0.isEmpty ? nil : $0 } ?? sha256(of: staging + "/" + name)
            files.append(
                .object([
                    ("name", .text(name)), ("bytes", .integer(Int64(info.st_size))),
                    ("mtime", .integer(PipelineRunner.modificationTime(info))), ("sha256", .text(hash))
                ]))
        }
        return files
    }

    /// True when every file the last run published is still there as it was (a file only touched,
    /// same bytes, counts as unchanged).
    private func publishedFilesUnchanged(_ state: FieldValue) -> Bool {
        guard let files = state["published"]?.items else { return false }
        // Folders come before what they hold: a file is looked at only under folders found real.
        for file in files {
            if let name = file["name"]?.string, name.hasSuffix("/") {
                guard OutputFolder.isKind(of: name, at: outputDirectory + "/" + name) else { return false }
                continue
            }
            guard let name = file["name"]?.string, case .integer(let bytes)? = file["bytes"] else { continue }
            var info = stat()
            let path = outputDirectory + "/" + name
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int64(info.st_size) == bytes else {
                return false
            }
            if file["mtime"] == .integer(PipelineRunner.modificationTime(info)) { continue }
            guard let hash = try? sha256(of: path), file["sha256"] == .text(hash) else { return false }
        }
        return true
    }

    static func modificationTime(_ info: stat) -> Int64 {
        Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }

    func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}

extension PublicaError.Kind {
    /// Another run of the same pipeline holds the lock (exit 75).
    public static let locked = PublicaError.Kind(name: "locked", exitStatus: .locked)
}

typealias Kind = PublicaError.Kind

/// The SHA-256 of a file, read in chunks; a termination signal stops it between two (a
/// multi-gigabyte input takes seconds to hash).
func sha256(of path: String) throws -> String {
    let input = try FileInput(path: path)
    var digest = SHA256()
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    while true {
        try Termination.check()
        let count = try input.read(into: buffer, capacity: 1 << 20)
        if count == 0 { break }
        digest.update(UnsafeRawBufferPointer(start: buffer, count: count))
    }
    return digest.finalize()
}
