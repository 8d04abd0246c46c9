#if canImport(Glibc)
import Glibc
#endif
import PublicaCore
import PublicaExport
import PublicaIngest

/// One run's work inside the staging folder: sources through steps into every output.
struct Stage {
    struct WrittenFile {
        var name: String
        var format: String
        var rows: Int
        var bytes: Int
        var sha256: String
        var schema: RecordSchema
        var fieldTypes: [String]
        var title: String?
    }

    let staging: String
    let pipeline: Pipeline
    let dryRun: Bool
    let limit: Int?
    var log = RunLog(quiet: true)
    private var lastProgress = 0.0
    var read = 0
    var written = 0
    var rejected = 0
    var dropped = 0
    var stepCounts: [StepCount] = []
    var written_files: [WrittenFile] = []

    struct StepCount {
        var input = 0, output = 0, dropped = 0, rejected = 0
        var seconds = 0.0
    }

    init(staging: String, pipeline: Pipeline, dryRun: Bool, limit: Int?) {
        self.staging = staging
        self.pipeline = pipeline
        self.dryRun = dryRun
        self.limit = limit
    }

    mutating func process(_ steps: inout [any PipelineStep]) throws {
        stepCounts = Array(repeating: StepCount(), count: steps.count)
        var rejects = RejectsWriter(path: staging + "/\(pipeline.name).rejects.ndjson")
        var streams: [(schema: RecordSchema, source: any RecordSource)] = []
        for source in pipeline.sources {
            switch try Formats.sources.open(source.path, format: source.format, options: source.options) {
            case .single(let single):
                streams.append((single.schema, single))
            case .multiple(var multiple):
                let resources = try multiple.readResources()
                if let wanted = source.resource {
                    guard let resource = resources.first(where: { $0.name == wanted }) else {
                        throw PublicaError(.usage, "source '\(source.name)' has no resource '\(wanted)' (it has: \(resources.map(\.name).joined(separator: ", ")))")
                    }
                    streams.append((resource.schema, ResourceSource(resource: resource)))
                } else {
                    guard steps.isEmpty else {
                        throw PublicaError(.usage, "source '\(source.name)' has several resources: name one with 'resource:' to run steps on it")
                    }
                    if dryRun { try printSample(of: resources) } else { try writeResources(resources) }
                }
            }
        }
        guard !streams.isEmpty else {
            try rejects.finish()
            return
        }
        // The stream's shape, through every step.
        var schema = streams[0].schema
        for stream in streams.dropFirst() where stream.schema.fieldNames != schema.fieldNames {
            throw PublicaError(.usage, "the sources have different fields; a pipeline's sources must share one shape")
        }
        for index in steps.indices { schema = try prepare(&steps[index], schema, at: index) }

        var sinks = try dryRun ? [] : makeSinks(schema: schema)
        for index in sinks.indices { try sinks[index].sink.begin(schema: schema) }
        var sample: [Record] = []
        var typeRecords: [Record] = []
        for stream in streams {
            var source = stream.source
            try source.forEach(raw: { raw in
                try handle(raw.makeRecord(), &steps, &sinks, &rejects, &sample, &typeRecords)
            }, record: { record in
                try handle(record, &steps, &sinks, &rejects, &sample, &typeRecords)
            }, onReject: { rejection in
                read += 1
                rejected += 1
                try rejects.write(rejection)
            })
            if dryRun, let limit, sample.count >= limit { break }
        }
        if dryRun {
            for record in sample.prefix(limit ?? sample.count) {
                try StandardOutput.printLine(JSONText.render(.object(zip(schema.fieldNames, record.values).map { (key: $0, value: $1) })))
            }
            return
        }
        log.progress("")
        let types = DataPackage.fieldTypes(of: typeRecords, fieldCount: schema.count)
        for index in sinks.indices {
            try sinks[index].sink.finish()
            let file = sinks[index].file
            written_files.append(WrittenFile(name: sinks[index].name, format: sinks[index].format, rows: written,
                                             bytes: file.bytesWritten, sha256: file.sha256 ?? "", schema: schema,
                                             fieldTypes: types, title: nil))
        }
        try rejects.finish()
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
            if name.isEmpty { throw PublicaError(.usage, "\(step.name): a field would have a blank name", at: location) }
            if !seen.insert(name).inserted {
                throw PublicaError(.usage, "\(step.name): two fields would be named '\(name)'; every output field needs its own name",
                                   at: location)
            }
        }
        return prepared
    }

    /// One record through every step, then into every output.
    private mutating func handle(_ record: Record, _ steps: inout [any PipelineStep], _ sinks: inout [SinkEntry],
                                 _ rejects: inout RejectsWriter, _ sample: inout [Record], _ typeRecords: inout [Record]) throws {
        if dryRun, let limit, sample.count >= limit { return }
        read += 1
        if read & 1023 == 0 { try Termination.check() }
        var current = record
        for index in steps.indices {
            stepCounts[index].input += 1
            let started = now()
            let result = try steps[index].process(current)
            stepCounts[index].seconds += now() - started
            switch result {
            case .keep(let next):
                stepCounts[index].output += 1
                current = next
            case .drop:
                stepCounts[index].dropped += 1
                dropped += 1
                return
            case .reject(let rejection):
                stepCounts[index].rejected += 1
                rejected += 1
                try rejects.write(rejection)
                return
            }
        }
        written += 1
        if log.showsProgress && written % 4096 == 0 {
            let time = now()
            if time - lastProgress > 0.25 {
                lastProgress = time
                log.progress("\(pipeline.name): \(read) records read, \(written) written, \(rejected) rejected")
            }
        }
        if dryRun {
            sample.append(current)
            return
        }
        if typeRecords.count < 1000 { typeRecords.append(current) }
        for index in sinks.indices { try sinks[index].sink.write(current) }
    }

    // MARK: - Outputs

    struct SinkEntry {
        var name: String
        var format: String
        var file: OutputFile
        var sink: any RecordSink
    }

    private func makeSinks(schema: RecordSchema) throws -> [SinkEntry] {
        try pipeline.outputs.filter { !$0.isDirectory && $0.format != "datapackage" }.map { output in
            let name = output.path.split(separator: "/").last.map(String.init) ?? output.path
            let file = try OutputFile(path: staging + "/" + name, hashing: true)
            return SinkEntry(name: name, format: output.format, file: file, sink: Stage.sink(output.format, file))
        }
    }

    static func sink(_ format: String, _ file: OutputFile) -> any RecordSink {
        switch format {
        case "csv": CSVWriter(file: file)
        case "tsv": CSVWriter(file: file, delimiter: 0x09)
        case "json": JSONWriter(file: file)
        default: NDJSONWriter(file: file)
        }
    }

    /// A dry run of a source with several resources: the first records of each (`--limit`), as
    /// `{"resource": NAME, "record": {...}}` lines.
    private func printSample(of resources: [Resource]) throws {
        for resource in resources {
            for record in resource.records.prefix(limit ?? 10) {
                let fields = zip(resource.schema.fieldNames, record.values).map { (key: $0, value: $1) }
                try StandardOutput.printLine(JSONText.render(.object([("resource", .text(resource.name)), ("record", .object(fields))])))
            }
        }
    }

    /// A source with several resources and no steps: each resource to each folder output's format.
    private mutating func writeResources(_ resources: [Resource]) throws {
        let formats = pipeline.outputs.filter(\.isDirectory).map(\.format)
        guard !formats.isEmpty else {
            throw PublicaError(.usage, "a source with several resources needs a folder output (a path ending in '/')")
        }
        for resource in resources {
            read += resource.records.count
            written += resource.records.count
            for format in formats {
                let name = "\(resource.name).\(format)"
                let file = try OutputFile(path: staging + "/" + name, hashing: true)
                var sink = Stage.sink(format, file)
                try sink.begin(schema: resource.schema)
                for record in resource.records { try sink.write(record) }
                try sink.finish()
                written_files.append(WrittenFile(name: name, format: format, rows: resource.records.count, bytes: file.bytesWritten,
                                                 sha256: file.sha256 ?? "", schema: resource.schema,
                                                 fieldTypes: DataPackage.fieldTypes(of: resource.records, fieldCount: resource.schema.count),
                                                 title: resource.title))
            }
        }
    }

    func writeDataPackage() throws {
        guard pipeline.outputs.contains(where: { $0.format == "datapackage" }) else { return }
        var package = DataPackage(name: pipeline.name, sources: pipeline.sources.map(\.path))
        let schemaTypes = pipeline.schema.map { schema in Dictionary(schema.fields.map { ($0.name, $0.type.rawValue) }, uniquingKeysWith: { a, _ in a }) }
        var names = Set<String>()
        for file in written_files {
            let types = file.schema.fieldNames.enumerated().map { index, name in schemaTypes?[name] ?? file.fieldTypes[index] }
            // One resource per file; the same data in two formats gets the format in its name.
            let stem = file.name.split(separator: ".").first.map(String.init) ?? file.name
            let name = names.insert(stem).inserted ? stem : stem + "-" + file.format
            names.insert(name)
            package.entries.append(DataPackage.Entry(name: name,
                                                     title: file.title, path: file.name, format: file.format, schema: file.schema,
                                                     fieldTypes: types, bytes: file.bytes, sha256: file.sha256, rows: file.rows))
        }
        try package.write(to: staging + "/datapackage.json")
    }

    private func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

/// A finished resource read as a record stream.
struct ResourceSource: RecordSource {
    let resource: Resource
    private var index = 0

    init(resource: Resource) { self.resource = resource }

    var resourceName: String { resource.name }
    var schema: RecordSchema { resource.schema }

    mutating func next(onReject: (Rejection) throws -> Void) throws -> Record? {
        guard index < resource.records.count else { return nil }
        defer { index += 1 }
        return resource.records[index]
    }
}
