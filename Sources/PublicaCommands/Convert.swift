import ArgumentParser
import Foundation
import PublicaCore
import PublicaExport
import PublicaIngest
import PublicaPipeline
import PublicaValidation

#if canImport(Glibc)
import Glibc
#endif

/// `publica convert INPUT OUTPUT`: one-shot conversion between formats.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Convert a dataset from one format to another (csv, tsv, json, ndjson, xml, xlsx, bulletin in; csv, tsv, json, ndjson out).",
        discussion: """
            Formats come from the file extensions or --from/--to. `-` is standard input or output \
            (then --from/--to are required; not for .xlsx, a zip read by its path). Without a schema, values \
            stay text exactly as read; an .xlsx keeps its cells' types (exact numbers, dates, text). For a \
            workbook, --sheet picks the sheet, --range the cells, --merged fill spreads merged cells, and \
            --header-row / --header-rows count the sheet's rows. \
            Records that cannot be converted go to the rejects file (default: beside the output, \
            <name>.rejects.ndjson) and the exit code is 3. Steps apply in this order: --filter, --select, \
            --rename, --schema (the cast), --head; convert is the one-source pipeline they describe.
            """
    )

    @Argument(help: "The input file, or - for standard input.")
    var input: String

    @Argument(help: "The output file, or - for standard output.")
    var output: String

    @Option(
        help: "The input format (csv, tsv, json, ndjson, xml, xlsx, bulletin); default: from the extension.",
        completion: .list(["csv", "tsv", "json", "ndjson", "xml", "xlsx", "bulletin"]))
    var from: String?

    @Option(
        help: "The output format (csv, tsv, json, ndjson); default: from the extension.",
        completion: .list(["csv", "tsv", "json", "ndjson"]))
    var to: String?

    @OptionGroup var reading: ReadingOptions

    @Option(
        help:
            "Keep only records where FIELD=VALUE (or !=, <, <=, >, >=; numbers compare as numbers); repeat for all of several."
    )
    var filter: [String] = []

    @Option(help: "Keep these fields, in this order (a,b,c).")
    var select: String?

    @Option(help: "Rename fields (old=new,old2=new2).")
    var rename: String?

    @Option(
        help:
            "A Table Schema (JSON): cast values to its types and check its constraints; failing records are rejected.",
        completion: .file(extensions: ["json"]))
    var schema: String?

    @Option(help: "Write only the first N records (after the other steps).")
    var head: Int?

    @Option(help: "Where rejected records go (default: <output name>.rejects.ndjson beside the output).")
    var rejects: String?

    @Option(help: "datapackage.json: the dataset's title.")
    var title: String?

    @Option(
        help: "datapackage.json: a license by name (KOGL-Type1 … KOGL-Type4, CC-BY-4.0, CC0-1.0).",
        completion: .list(["KOGL-Type1", "KOGL-Type2", "KOGL-Type3", "KOGL-Type4", "CC-BY-4.0", "CC0-1.0"]))
    var license: String?

    @Option(help: "datapackage.json: the dataset's version (e.g. 2024.06).")
    var packageVersion: String?

    @Flag(help: "CSV output: start with a UTF-8 byte-order mark, so Excel shows Korean text.")
    var bom = false

    @Option(help: "CSV output line ends: crlf (RFC 4180) or lf.", completion: .list(["crlf", "lf"]))
    var lineEnding: String = "crlf"

    @OptionGroup var logging: LogOptions

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        try runReportingErrors(logging, quiet: quiet) { log in
            Termination.catchSignals()
            let sourceFormat = try resolveSourceFormat()
            guard let ending = CSVWriter.LineEnding(rawValue: lineEnding) else {
                throw PublicaError(.usage, "--line-ending must be crlf or lf")
            }
            let options = try reading.sourceOptions()
            let opened = try Formats.sources.open(input, format: sourceFormat, options: options)
            let source = Pipeline.Source(
                name: SourceOptions.resourceName(for: input), format: sourceFormat, path: input, options: options)
            let sinkOptions = SinkOptions(lineEnding: ending, byteOrderMark: bom)
            switch opened {
            case .single(let single):
                try convertTable(single, source, sinkOptions, log: log)
            case .multiple:
                try convertResources(opened, source, sinkOptions, log: log)
            }
        }
    }

    /// One table: a one-source pipeline (`--schema` is its `cast` step) into OUTPUT, published
    /// together with its rejects.
    private func convertTable(
        _ single: any RecordSource, _ source: Pipeline.Source, _ sinkOptions: SinkOptions, log: CommandLog
    ) throws {
        if title != nil || license != nil || packageVersion != nil {
            throw PublicaError(
                .usage,
                "--title, --license and --package-version describe datapackage.json, which only a "
                    + "conversion with several resources (a bulletin) writes")
        }
        let sinkFormat = try resolveSinkFormat()
        let rejectsPath = rejects ?? Convert.defaultRejectsPath(output: output, resource: single.resourceName)
        try OwnedPaths.check(input: input, output: output, rejects: rejectsPath)
        let tableSchema = try schema.map(Convert.loadSchema)
        let steps = try ConvertSteps(
            filters: filter, select: select, rename: rename, schema: tableSchema, head: head
        ).steps()
        // The schema also types a SQLite or Parquet output's columns.
        let pipeline = Pipeline(
            file: input, name: single.resourceName, sources: [source], schema: tableSchema, steps: steps,
            outputs: [Pipeline.Output(path: output, format: sinkFormat)])
        // One conversion at a time per output; the output and its rejects are published together,
        // and a run killed between the two is finished first.
        let lock = try OwnedPaths.lock(output)
        defer { if lock >= 0 { close(lock) } }
        Publication.recover(for: output)
        let publication = Publication(anchor: output)
        var engine = Engine(pipeline: pipeline, folder: nil, rejects: rejectsPath, publication: publication)
        engine.sinkOptions = sinkOptions
        engine.removesStaleRejects = !(output == "-" && rejects == nil)
        engine.hashesOutputs = false  // no report or data package: a hash would only cost time
        engine.opened = [0: .single(single)]
        try engine.run()
        try Termination.check()
        try publication.publish()
        let outcome = ConversionOutcome(
            written: engine.counts.written, rejected: engine.counts.rejected, dropped: engine.counts.dropped,
            counters: engine.counters)
        log.info(
            outcome.message(input: input, output: output, rejectsPath: rejectsPath),
            outcome.fields(input: input, output: output, rejectsPath: rejectsPath),
            line: outcome.summary(input: input, output: output, rejectsPath: rejectsPath))
        for note in engine.notes { log.info(note, [], line: "publica: " + note) }
        if outcome.rejected > 0 {
            // Rows rejected for their field count: perhaps a title line above the header.
            if !quiet, source.format == "csv" || source.format == "tsv",
                let hint = HeaderHint.check(
                    input,
                    options: CSVReadOptions(source.options, defaultDelimiter: source.format == "tsv" ? 0x09 : 0x2C))
            {
                log.hint(hint)
            }
            throw ExitCode(ExitStatus.publishedWithRejects.rawValue)
        }
    }

    private static func loadSchema(_ path: String) throws -> TableSchema {
        do {
            return try TableSchema(path: path)
        } catch let problems as SchemaProblems {
            throw PublicaError(
                .usage, problems.problems.map { "\($0.code): \($0.message)" }.joined(separator: "; "),
                at: SourceLocation(file: path))
        }
    }

    /// Several resources (a bulletin): OUTPUT is a directory with `<resource>.<ext>` each and `datapackage.json`.
    private func convertResources(
        _ opened: OpenedSource, _ source: Pipeline.Source, _ sinkOptions: SinkOptions, log: CommandLog
    ) throws {
        guard output != "-" else {
            throw PublicaError(.usage, "this input yields several resources: OUTPUT must be a directory")
        }
        try OwnedPaths.checkFolder(input: input, folder: output)
        let format =
            try to.map { name -> String in
                guard let format = Formats.sinks.format(named: name) else {
                    throw PublicaError(
                        .usage,
                        "unknown output format '\(name)' (known: \(Formats.sinks.formats.joined(separator: ", ")))")
                }
                return format.name
            } ?? "ndjson"
        let packagePath = output + "/datapackage.json"
        let pipeline = Pipeline(
            file: input, name: SourceOptions.resourceName(for: input), sources: [source],
            outputs: [
                Pipeline.Output(path: output + "/", format: format, isDirectory: true),
                Pipeline.Output(path: packagePath, format: "datapackage")
            ])
        // Beside the folder, not in it.
        let lock = try OwnedPaths.lock(output.hasSuffix("/") ? String(output.dropLast()) : output)
        defer { if lock >= 0 { close(lock) } }
        Publication.recover(for: packagePath)
        let publication = Publication(anchor: packagePath)
        var engine = Engine(pipeline: pipeline, folder: nil, publication: publication)
        engine.sinkOptions = sinkOptions
        engine.opened = [0: opened]
        engine.package = try packageMetadata()
        try engine.run()
        try engine.writeDataPackage()
        try Termination.check()
        try publication.publish()
        let files = engine.writtenFiles
        var counts = files.prefix(12).map { "\($0.name.split(separator: ".").first ?? "") \($0.rows)" }.joined(
            separator: ", ")
        if files.count > 12 { counts += ", and \(files.count - 12) more" }
        let message =
            "\(input) -> \(output)/: \(counted(engine.counts.written, "record")) in "
            + "\(counted(files.count, "resource")) (\(counts)) and datapackage.json"
        log.info(
            message,
            [
                ("input", .text(input)), ("output", .text(output)),
                ("written", .integer(Int64(engine.counts.written))), ("resources", .integer(Int64(files.count)))
            ], line: "publica: " + message)
    }

    /// `datapackage.json`'s title, license, version and time of creation, from the flags.
    private func packageMetadata() throws -> DataPackage {
        var package = DataPackage(name: SourceOptions.resourceName(for: input), title: title, sources: [input])
        package.created = ISO8601DateFormatter().string(from: Date())
        package.version = packageVersion
        if let license {
            guard let known = DataPackage.License.known(license) else {
                throw PublicaError(
                    .usage, "unknown license '\(license)' (known: KOGL-Type1 … KOGL-Type4, CC-BY-4.0, CC0-1.0)")
            }
            package.licenses = [known]
        }
        return package
    }

    private func resolveSourceFormat() throws -> String {
        if let from { return from.lowercased() }
        if input == "-" { throw PublicaError(.usage, "reading standard input needs --from") }
        guard let format = Formats.sources.format(forPath: input) else {
            throw PublicaError(
                .usage,
                "cannot tell the input format from '\(input)'; use --from "
                    + "(\(Formats.sources.formats.joined(separator: ", ")))")
        }
        return format
    }

    private func resolveSinkFormat() throws -> String {
        let known = Formats.sinks.formats.joined(separator: ", ")
        if let to {
            guard let format = Formats.sinks.format(named: to) else {
                throw PublicaError(.usage, "unknown output format '\(to)' (known: \(known))")
            }
            return format.name
        }
        if output == "-" { throw PublicaError(.usage, "writing standard output needs --to") }
        guard let format = Formats.sinks.format(forPath: output) else {
            throw PublicaError(.usage, "cannot tell the output format from '\(output)'; use --to (\(known))")
        }
        return format
    }

    /// `out/registry.ndjson` → `out/registry.rejects.ndjson`; standard output → `<resource>.rejects.ndjson`.
    static func defaultRejectsPath(output: String, resource: String) -> String {
        guard output != "-" else { return "\(resource).rejects.ndjson" }
        let slash = output.lastIndex(of: "/")
        let nameStart = slash.map { output.index(after: $0) } ?? output.startIndex
        let name = output[nameStart...]
        let stem = name.lastIndex(of: ".").map { name[..<$0] } ?? name
        return String(output[..<nameStart]) + stem + ".rejects.ndjson"
    }
}
