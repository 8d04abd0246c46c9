import PublicaCore
import PublicaExport
import PublicaJSON
import PublicaSQLite

extension Engine {
    /// An output being written.
    struct Sink {
        var name: String
        var format: String
        /// Nil for a table of a database the release's resources share (committed by the runner).
        var file: OutputFile?
        var sink: any RecordSink
    }

    /// Where an output file goes: by name into the engine's folder, or at its own path.
    func place(_ output: Pipeline.Output) -> String {
        guard let folder else { return output.path }
        return folder + "/" + (output.path.split(separator: "/").last.map(String.init) ?? output.path)
    }

    /// The folder that receives a multi-resource source's files.
    var resourceFolder: String? {
        guard let output = pipeline.outputs.first(where: \.isDirectory) else { return nil }
        return folder ?? (output.path.hasSuffix("/") ? String(output.path.dropLast()) : output.path)
    }

    func makeSinks() throws -> [Sink] {
        var options = sinkOptions
        options.table = options.table ?? tableDescription
        return try pipeline.outputs.filter { !$0.isDirectory && $0.format != "datapackage" }.map { output in
            let path = place(output)
            let name = path.split(separator: "/").last.map(String.init) ?? path
            if output.format == "sqlite", let sharedDatabases, let table = options.table {
                let database = try sharedDatabases.database(at: path, hashing: hashesOutputs)
                return Sink(
                    name: name, format: output.format, file: nil,
                    sink: SQLiteTableSink(database: database, description: table))
            }
            let file = try OutputFile(path: path, hashing: hashesOutputs, publication: publication)
            let sink = try Formats.sinks.makeSink(output.format, file: file, options: options)
            return Sink(
                name: path.split(separator: "/").last.map(String.init) ?? path, format: output.format, file: file,
                sink: sink)
        }
    }

    mutating func finish(_ sinks: inout [Sink], schema: RecordSchema, types: [String]) throws {
        for index in sinks.indices {
            try sinks[index].sink.finish()
            let file = sinks[index].file
            writtenFiles.append(
                WrittenFile(
                    name: sinks[index].name, format: sinks[index].format, rows: counts.written,
                    bytes: file?.bytesWritten ?? 0, sha256: file?.sha256 ?? "", schema: schema,
                    fieldTypes: types, title: nil))
        }
    }

    /// A source with several resources and no steps: each resource to each folder output's format.
    mutating func writeResources(_ resources: [Resource]) throws {
        let formats = pipeline.outputs.filter(\.isDirectory).map(\.format)
        guard let directory = resourceFolder, !formats.isEmpty else {
            throw PublicaError(.usage, "a source with several resources needs a folder output (a path ending in '/')")
        }
        for resource in resources {
            counts.read += resource.records.count
            counts.written += resource.records.count
            if profilesWritten {
                var profile = TableProfile(name: resource.name, fieldNames: resource.schema.fieldNames)
                for record in resource.records { profile.add(record) }
                profiles.append(profile)
            }
            for format in formats {
                let extensionName = Formats.sinks.format(named: format)?.fileExtension ?? format
                let name = "\(resource.name).\(extensionName)"
                let file = try OutputFile(path: directory + "/" + name, hashing: true, publication: publication)
                var sink = try Formats.sinks.makeSink(format, file: file, options: sinkOptions)
                try sink.begin(schema: resource.schema)
                for record in resource.records { try sink.write(record) }
                try sink.finish()
                writtenFiles.append(
                    WrittenFile(
                        name: name, format: format, rows: resource.records.count, bytes: file.bytesWritten,
                        sha256: file.sha256 ?? "", schema: resource.schema,
                        fieldTypes: DataPackage.fieldTypes(of: resource.records, fieldCount: resource.schema.count),
                        title: resource.title))
            }
        }
    }

    /// A dry run's records, as NDJSON on standard output.
    func printSample(_ records: ArraySlice<Record>, schema: RecordSchema) throws {
        for record in records {
            let object = FieldValue.object(zip(schema.fieldNames, record.values).map { (key: $0, value: $1) })
            try CheckedOutput.printLine(
                JSONText.render(
                    sampleResource.map { .object([("resource", .text($0)), ("record", object)]) } ?? object))
        }
    }

    /// A dry run of a source with several resources: the first records of each (`--limit`), as
    /// `{"resource": NAME, "record": {...}}` lines.
    func printSample(of resources: [Resource]) throws {
        for resource in resources {
            for record in resource.records.prefix(limit ?? 10) {
                let fields = zip(resource.schema.fieldNames, record.values).map { (key: $0, value: $1) }
                try CheckedOutput.printLine(
                    JSONText.render(.object([("resource", .text(resource.name)), ("record", .object(fields))])))
            }
        }
    }

    /// Writes `datapackage.json` when the pipeline asks for one: a resource per written file.
    public func writeDataPackage() throws {
        guard let output = pipeline.outputs.first(where: { $0.format == "datapackage" }) else { return }
        var package = self.package
        var names = Set<String>()
        package.entries = dataPackageEntries(names: &names)
        try package.write(to: place(output), publication: publication)
    }

    /// A data-package resource per written file: field types from the schema where it has them,
    /// its primary and foreign keys. `names` holds the names taken (a release's other resources'):
    /// the same data in a second format gets the format in its name.
    public func dataPackageEntries(names: inout Set<String>) -> [DataPackage.Entry] {
        let schemaTypes = pipeline.schema.map { schema in
            Dictionary(schema.fields.map { ($0.name, $0.type.rawValue) }, uniquingKeysWith: { a, _ in a })
        }
        return writtenFiles.map { file in
            let types = file.schema.fieldNames.enumerated().map { index, name in
                schemaTypes?[name] ?? file.fieldTypes[index]
            }
            let stem = file.name.split(separator: ".").first.map(String.init) ?? file.name
            let name = names.insert(stem).inserted ? stem : stem + "-" + file.format
            names.insert(name)
            var entry = DataPackage.Entry(
                name: name, title: file.title ?? pipeline.title, path: file.name, format: file.format,
                schema: file.schema, fieldTypes: types, bytes: file.bytes, sha256: file.sha256, rows: file.rows)
            if let schema = pipeline.schema {
                for field in schema.fields { entry.fieldDescriptions[field.name] = field.description }
                let written = Set(file.schema.fieldNames)
                if schema.primaryKey.allSatisfy(written.contains) { entry.primaryKey = schema.primaryKey }
                entry.foreignKeys = schema.foreignKeys.filter { $0.fields.allSatisfy(written.contains) }.map { key in
                    .object([
                        ("fields", .list(key.fields.map(FieldValue.text))),
                        (
                            "reference",
                            .object([
                                ("resource", .text(key.resource)),
                                ("fields", .list(key.referencedFields.map(FieldValue.text)))
                            ])
                        )
                    ])
                }
            }
            return entry
        }
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

/// A source's records in a wider shape: each field where the shape has it, null where the
/// source has none (sources concatenated by column name).
struct AlignedSource: RecordSource {
    var inner: any RecordSource
    let schema: RecordSchema
    private let positions: [Int?]

    init(inner: any RecordSource, schema: RecordSchema) {
        self.inner = inner
        self.schema = schema
        let own = inner.schema.fieldNames
        positions = schema.fieldNames.map { own.firstIndex(of: $0) }
    }

    var resourceName: String { inner.resourceName }
    var counters: [(name: String, value: Int)] { inner.counters }

    mutating func next(onReject: (Rejection) throws -> Void) throws -> Record? {
        guard var record = try inner.next(onReject: onReject) else { return nil }
        let values = record.values
        record.values = positions.map { position in position.map { $0 < values.count ? values[$0] : .null } ?? .null }
        return record
    }
}
