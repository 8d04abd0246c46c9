import ArgumentParser
import PublicaCore
import PublicaIngest
import PublicaJSON
import PublicaPipeline
import PublicaValidation

#if canImport(Glibc)
import Glibc
#endif

/// `publica validate DATA [--schema S]` and `publica validate datapackage.json`.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a table against a Frictionless Table Schema, or a whole data package.",
        discussion: """
            Errors carry Frictionless's types (blank-label, duplicate-label, missing-cell, extra-cell, blank-row, \
            type-error, constraint-error, unique-error, primary-key, foreign-key, encoding-error, source-error), \
            the row (the header is row 1) and the field. Without --schema the schema is inferred from the data, \
            so structural errors are found in any table. An .xlsx is read as convert reads it (--sheet, --range, \
            --merged; codes stored as text keep their zeros). Exit 0 when valid, 65 when not.
            """
    )

    @Argument(
        help:
            "A table (CSV, TSV, NDJSON, JSON, XLSX with --sheet/--range/--merged, XML with --record-path or --preset), or a datapackage.json."
    )
    var data: String

    @Option(help: "A Table Schema (JSON) to validate against.", completion: .file(extensions: ["json"]))
    var schema: String?

    @Option(help: "Report format: text or json (Frictionless's report shape).", completion: .list(["text", "json"]))
    var format: String = "text"

    @Option(help: "Stop after this many errors.")
    var limitErrors: Int?

    @Option(
        help: ArgumentHelp(
            "The memory the unique and primary-key checks may use; past it they spill to temporary files, and the report is the same.",
            valueName: "size"))
    var memory = "256MiB"

    @OptionGroup var reading: ReadingOptions

    @OptionGroup var logging: LogOptions

    func run() throws {
        try runReportingErrors(logging) { log in
            guard format == "text" || format == "json" else {
                throw PublicaError(.usage, "--format must be text or json")
            }
            Termination.catchSignals()
            guard let budget = ReadLimits.parseSize(memory), budget > 0 else {
                throw PublicaError(.usage, "--memory takes a size such as 256MiB, 1GiB or a number of bytes")
            }
            let keyBudget = MemoryBudget(bytes: budget).keyBudget
            let started = monotonicSeconds()
            // A table that is not there is an I/O failure (exit 1), as for convert and infer, not an invalid table.
            var info = stat()
            if data != "-", stat(data, &info) != 0 {
                throw PublicaError.system(errno, "cannot open", path: data)
            }
            let output = CheckedOutput()
            if Validate.isPackage(data, schema: schema) {
                var validator = PackageValidator(errorLimit: limitErrors, sources: Formats.sources)
                validator.keyBudget = keyBudget
                var report = try validator.validate(descriptorPath: data)
                report.seconds = monotonicSeconds() - started
                try write(report, to: output)
                if !report.valid { throw ExitCode(ExitStatus.dataError.rawValue) }
                return
            }
            var tableSchema: TableSchema?
            if let schema {
                do {
                    tableSchema = try TableSchema(path: schema)
                } catch let error as SchemaProblems {
                    let problems = error.problems.map {
                        PublicaValidation.ValidationError(
                            type: $0.code, message: "The schema is not valid", note: $0.message)
                    }
                    try write(
                        ValidationReport(tasks: [], errors: problems, seconds: monotonicSeconds() - started), to: output
                    )
                    throw ExitCode(ExitStatus.dataError.rawValue)
                }
            }
            let task = try validateTable(
                schema: tableSchema, keyBudget: keyBudget, output: output, started: started, log: log)
            if !task.valid { throw ExitCode(ExitStatus.dataError.rawValue) }
        }
    }

    /// A data package: `datapackage.json`, or another `.json` (without `--schema`) whose top level has `resources`.
    static func isPackage(_ path: String, schema: String?) -> Bool {
        if path.hasSuffix("datapackage.json") { return true }
        guard path.hasSuffix(".json"), schema == nil else { return false }
        var info = stat()
        guard stat(path, &info) == 0, info.st_size < 16 << 20, let document = try? JSONDocument.read(path: path) else {
            return false
        }
        return document["resources"] != nil
    }

    /// Validates one table, its errors streamed to `output` as they are found.
    private func validateTable(
        schema tableSchema: TableSchema?, keyBudget: KeyBudget, output: CheckedOutput, started: Double,
        log: CommandLog
    ) throws -> ValidationTask {
        let sourceFormat = try Validate.format(of: data)
        guard sourceFormat == "csv" || sourceFormat == "tsv" else {
            return try validateRecords(
                format: sourceFormat, schema: tableSchema, keyBudget: keyBudget, output: output, started: started)
        }
        let options = CSVReadOptions(try reading.sourceOptions(), defaultDelimiter: sourceFormat == "tsv" ? 0x09 : 0x2C)
        var keys = TableValidator.KeyCollector()
        if let tableSchema, tableSchema.foreignKeys.contains(where: { $0.resource.isEmpty }) {
            keys.wanted = tableSchema.foreignKeys.filter { $0.resource.isEmpty }.map(\.referencedFields)
        }
        if let hint = HeaderHint.check(data, options: options) { log.hint(hint) }
        let writer: any StreamingReportWriter = format == "json" ? JSONReportWriter(output) : TextReportWriter(output)
        var validator = TableValidator(readOptions: options, errorLimit: limitErrors, errorSink: writer)
        validator.keyBudget = keyBudget
        let task = try validator.validate(
            path: data, name: SourceOptions.resourceName(for: data), schema: tableSchema, keys: &keys)
        try writer.finish(task, seconds: monotonicSeconds() - started)
        return task
    }

    /// Any other format's records (NDJSON, JSON, XML with --record-path or --preset), read through the source registry.
    private func validateRecords(
        format sourceFormat: String, schema tableSchema: TableSchema?, keyBudget: KeyBudget, output: CheckedOutput,
        started: Double
    ) throws -> ValidationTask {
        let options = try reading.sourceOptions()
        var keys = TableValidator.KeyCollector()
        let writer: any StreamingReportWriter = format == "json" ? JSONReportWriter(output) : TextReportWriter(output)
        let path = data
        var validator = TableValidator(errorLimit: limitErrors, errorSink: writer)
        validator.keyBudget = keyBudget
        let task = try validator.validate(
            opening: {
                try Validate.openTable(path, format: sourceFormat, options: options)
            }, name: SourceOptions.resourceName(for: data), place: data, schema: tableSchema, keys: &keys)
        try writer.finish(task, seconds: monotonicSeconds() - started)
        return task
    }

    /// The format of a table to read, from its name.
    static func format(of path: String) throws -> String {
        if path == "-" { return "csv" }
        guard let format = Formats.sources.format(forPath: path) else {
            throw PublicaError(
                .usage,
                "cannot tell the format of '\(path)' from its name (\(Formats.sources.formats.joined(separator: ", ")))"
            )
        }
        return format
    }

    /// One table of any format Publica reads; a source with several resources is refused.
    static func openTable(_ path: String, format: String, options: SourceOptions) throws -> any RecordSource {
        guard case .single(let source) = try Formats.sources.open(path, format: format, options: options) else {
            throw PublicaError(
                .usage, "\(path) holds several resources; validate the data package a conversion writes instead",
                at: SourceLocation(file: path))
        }
        return source
    }

    /// A whole (small) report: a package's, or the schema's problems.
    private func write(_ report: ValidationReport, to output: CheckedOutput) throws {
        try output.write((format == "json" ? JSONText.render(report.descriptor) : report.text) + "\n")
        try output.flush()
    }
}

/// `publica infer DATA`: prints a Table Schema inferred from the whole table.
struct Infer: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a Table Schema inferred from a whole table (codes with leading zeros stay strings).",
        discussion: """
            An .xlsx is read as convert reads it (--sheet, --range, --merged, --header-row, --header-rows): \
            number and date cells give their types, and codes stored as text (or in an @ column) stay strings.
            """)

    @Argument(
        help:
            "A table: CSV, TSV, NDJSON, JSON, XLSX (--sheet, --range, --merged), or XML with --record-path or --preset."
    )
    var data: String

    @OptionGroup var reading: ReadingOptions

    @OptionGroup var logging: LogOptions

    func run() throws {
        try runReportingErrors(logging) { log in
            Termination.catchSignals()
            let format = try Validate.format(of: data)
            let schema: TableSchema
            if format == "csv" || format == "tsv" {
                let options = CSVReadOptions(
                    try reading.sourceOptions(), defaultDelimiter: format == "tsv" ? 0x09 : 0x2C)
                if let hint = HeaderHint.check(data, options: options) { log.hint(hint) }
                schema = try SchemaInference(readOptions: options).infer(path: data)
            } else {
                schema = try SchemaInference().infer(
                    source: try Validate.openTable(data, format: format, options: try reading.sourceOptions()))
            }
            // Checked writes: a full disk or a closed pipe is exit 1, not a silently cut schema.
            let output = CheckedOutput()
            try output.write(JSONText.pretty(schema.descriptor) + "\n")
            try output.flush()
        }
    }
}

func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
