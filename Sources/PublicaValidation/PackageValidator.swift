import PublicaCore
import PublicaIngest

/// Validates a Data Package: every tabular resource against its schema, then foreign keys
/// across resources (and within one, for self-references).
public struct PackageValidator {
    /// Stop each table after this many errors (its task's warning says so); nil for no limit.
    public var errorLimit: Int?
    /// Opens resources that are not CSV or TSV (NDJSON, JSON; XML too with a registry that has it).
    public var sources: SourceRegistry
    /// The memory each table's unique values and primary keys may take before they spill; nil
    /// keeps them in memory.
    public var keyBudget: KeyBudget?

    /// - Parameter sources: the registry that opens non-CSV resources (default: this module's
    ///   formats: JSON, NDJSON and bulletins).
    public init(errorLimit: Int? = nil, sources: SourceRegistry? = nil) {
        self.errorLimit = errorLimit
        self.sources =
            sources
            ?? {
                var registry = SourceRegistry()
                IngestFormats.register(into: &registry)
                return registry
            }()
    }

    /// Validates the package at `descriptorPath`; errors are collected (not streamed: a foreign
    /// key's errors are known only once every table is read).
    ///
    /// - Throws: when the descriptor cannot be read, or a termination signal arrives.
    public func validate(descriptorPath: String) throws -> ValidationReport {
        let descriptor = try JSONDocument.read(path: descriptorPath)
        let base = descriptorPath.lastIndex(of: "/").map { String(descriptorPath[...$0]) } ?? ""
        guard let resources = descriptor["resources"]?.items else {
            return ValidationReport(
                tasks: [],
                errors: [
                    ValidationError(
                        type: "package-error", message: "The data package has an error",
                        note: "\"resources\" must be an array")
                ])
        }
        var problems: [ValidationError] = []
        let entries = try resources.enumerated().compactMap { index, resource in
            try entry(resource, index: index, base: base, descriptorPath: descriptorPath, problems: &problems)
        }
        var collectors = keyCollectors(entries)
        var tasks: [ValidationTask] = []
        var referencing: [Referencing] = []
        for entry in entries {
            var keys = collectors[entry.name] ?? TableValidator.KeyCollector()
            tasks.append(try validate(entry, keys: &keys))
            collectors[entry.name] = keys
            if let schema = entry.schema, !schema.foreignKeys.isEmpty {
                referencing.append((tasks.count - 1, schema, keys.references))
            }
        }
        try checkForeignKeys(referencing, collectors, &tasks)
        return ValidationReport(tasks: tasks, errors: problems)
    }

    /// A resource of the descriptor, read enough to validate it.
    private struct Entry {
        var name: String
        var path: String
        var format: String
        var schema: TableSchema?
        var options: CSVReadOptions
    }

    /// A table with foreign keys, and the values its rows give each key (by the key's index).
    private typealias Referencing = (task: Int, schema: TableSchema, references: [Int: [(row: Int, values: [String])]])

    /// The resource's path, schema, dialect and format; nil, with the problem noted, for a
    /// resource without a path or with an invalid schema (it is not validated). Throws when a
    /// schema file cannot be read as JSON.
    private func entry(
        _ resource: FieldValue, index: Int, base: String, descriptorPath: String,
        problems: inout [ValidationError]
    ) throws -> Entry? {
        let name = resource["name"]?.string ?? "resource\(index + 1)"
        guard let path = resource["path"]?.string else {
            problems.append(
                ValidationError(
                    type: "resource-error", message: "The data resource has an error",
                    note: "resource \"\(name)\" has no path"))
            return nil
        }
        var schema: TableSchema?
        do {
            if let schemaPath = resource["schema"]?.string {
                schema = try TableSchema(path: base + schemaPath)
            } else if let inline = resource["schema"] {
                schema = try TableSchema(descriptor: inline, source: descriptorPath)
            }
        } catch let error as SchemaProblems {
            problems += error.problems.map {
                ValidationError(type: $0.code, message: "The schema is not valid", note: $0.message)
            }
            return nil
        }
        var options = CSVReadOptions()
        if let delimiter = resource["dialect"]?["delimiter"]?.string?.utf8.first {
            options.dialect.delimiter = delimiter
        }
        if let encoding = resource["encoding"]?.string.flatMap(TextEncoding.init(name:)) { options.encoding = encoding }
        let format = resource["format"]?.string?.lowercased() ?? sources.format(forPath: path) ?? "csv"
        return Entry(
            name: name, path: base + path, format: format == "jsonl" ? "ndjson" : format, schema: schema,
            options: options)
    }

    /// Which keys other resources point at, so each table keeps just those values.
    private func keyCollectors(_ entries: [Entry]) -> [String: TableValidator.KeyCollector] {
        var collectors: [String: TableValidator.KeyCollector] = [:]
        for entry in entries {
            for key in entry.schema?.foreignKeys ?? [] {
                let target = key.resource.isEmpty ? entry.name : key.resource
                collectors[target, default: TableValidator.KeyCollector()].wanted.append(key.referencedFields)
            }
        }
        return collectors
    }

    /// One resource's task: CSV and TSV read directly, other formats through ``sources``;
    /// `keys` gathers the values other tables (or this one) refer to.
    private func validate(_ entry: Entry, keys: inout TableValidator.KeyCollector) throws -> ValidationTask {
        var validator = TableValidator(readOptions: entry.options, errorLimit: errorLimit)
        validator.keyBudget = keyBudget
        if entry.format == "csv" || entry.format == "tsv" {
            var options = validator.readOptions
            if entry.format == "tsv" && entry.options.dialect.delimiter == 0x2C { options.dialect.delimiter = 0x09 }
            var csv = validator
            csv.readOptions = options
            return try csv.validate(path: entry.path, name: entry.name, schema: entry.schema, keys: &keys)
        }
        let registry = sources
        return try validator.validate(
            opening: {
                guard
                    case .single(let source) = try registry.open(
                        entry.path, format: entry.format, options: SourceOptions())
                else {
                    throw PublicaError(.usage, "a resource must be one table", at: SourceLocation(file: entry.path))
                }
                return source
            }, name: entry.name, place: entry.path, schema: entry.schema, keys: &keys)
    }

    /// Every foreign key's values looked up in the table it refers to; an error in the
    /// referencing task for each value not found, or for a table that is not in the package.
    private func checkForeignKeys(
        _ referencing: [Referencing], _ collectors: [String: TableValidator.KeyCollector],
        _ tasks: inout [ValidationTask]
    ) throws {
        for (taskIndex, schema, references) in referencing {
            for (keyIndex, key) in schema.foreignKeys.enumerated() {
                let target = key.resource.isEmpty ? tasks[taskIndex].name : key.resource
                guard let known = collectors[target]?.keys[key.referencedFields] else {
                    tasks[taskIndex].errors.append(
                        ValidationError(
                            type: "foreign-key", message: "The foreign key cannot be checked",
                            note: "resource \"\(target)\" with fields \(key.referencedFields) is not in the package"))
                    continue
                }
                for (position, (row, values)) in (references[keyIndex] ?? []).enumerated() {
                    if position & 1023 == 0 { try Termination.check() }
                    guard !known.contains(values) else { continue }
                    tasks[taskIndex].errors.append(
                        ValidationError(
                            type: "foreign-key",
                            message:
                                "Row at position \"\(row)\" violates the foreign key: for \"\(key.fields.joined(separator: ", "))\": values \"\(values.joined(separator: ", "))\" not found in the lookup table \"\(target)\" as \"\(key.referencedFields.joined(separator: ", "))\"",
                            rowNumber: row))
                }
            }
        }
    }
}
