import Foundation
import ArgumentParser
import PublicaCore
import PublicaPipeline
import PublicaExport
import PublicaIngest
import PublicaValidation

/// `publica convert INPUT OUTPUT`: one-shot conversion between formats.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a dataset from one format to another (csv, tsv, json, ndjson, xml, bulletin in; csv, tsv, json, ndjson out).",
        discussion: """
            Formats come from the file extensions or --from/--to. `-` is standard input or output \
            (then --from/--to are required). Without a schema, values stay text exactly as read. \
            Records that cannot be converted go to the rejects file (default: beside the output, \
            <name>.rejects.ndjson) and the exit code is 3.
            """
    )

    @Argument(help: "The input file, or - for standard input.")
    var input: String

    @Argument(help: "The output file, or - for standard output.")
    var output: String

    @Option(help: "The input format (csv, tsv, json, ndjson, xml, bulletin); default: from the extension.",
            completion: .list(["csv", "tsv", "json", "ndjson", "xml", "bulletin"]))
    var from: String?

    @Option(help: "The output format (csv, tsv, json, ndjson); default: from the extension.",
            completion: .list(["csv", "tsv", "json", "ndjson"]))
    var to: String?

    @OptionGroup var reading: ReadingOptions

    @Option(help: "A Table Schema (JSON): cast values to its types and check its constraints; failing records are rejected.")
    var schema: String?

    @Option(help: "Where rejected records go (default: <output name>.rejects.ndjson beside the output).")
    var rejects: String?

    @Option(help: "datapackage.json: the dataset's title.")
    var title: String?

    @Option(help: "datapackage.json: a license by name (KOGL-Type1 … KOGL-Type4, CC-BY-4.0, CC0-1.0).")
    var license: String?

    @Option(help: "datapackage.json: the dataset's version (e.g. 2024.06).")
    var packageVersion: String?

    @Flag(help: "CSV output: start with a UTF-8 byte-order mark, so Excel shows Korean text.")
    var bom = false

    @Option(help: "CSV output line ends: crlf (RFC 4180) or lf.", completion: .list(["crlf", "lf"]))
    var lineEnding: String = "crlf"

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        try runReportingErrors {
            Termination.catchSignals()
            let sourceFormat = try resolveSourceFormat()
            guard let ending = CSVWriter.LineEnding(rawValue: lineEnding) else {
                throw PublicaError(.usage, "--line-ending must be crlf or lf")
            }
            let opened = try Formats.sources.open(input, format: sourceFormat, options: try reading.sourceOptions())
            let source: any RecordSource
            switch opened {
            case .single(let single):
                source = single
            case .multiple(var multiple):
                try writeResources(try multiple.readResources(), ending: ending)
                return
            }
            var single = source
            if title != nil || license != nil || packageVersion != nil {
                throw PublicaError(.usage, "--title, --license and --package-version describe datapackage.json, which only a "
                                   + "conversion with several resources (a bulletin) writes")
            }
            let sinkFormat = try resolveSinkFormat()
            let rejectsPath = rejects ?? Convert.defaultRejectsPath(output: output, resource: single.resourceName)
            try OwnedPaths.check(input: input, output: output, rejects: rejectsPath)
            // The output and its rejects are published together; a run killed between the two is finished first.
            Publication.recover(for: output)
            let publication = Publication(anchor: output)
            var rejectsWriter = RejectsWriter(path: rejectsPath, publication: publication)
            let file = try OutputFile(path: output, publication: publication)
            var caster = try schema.map { path -> RecordCaster in
                do {
                    return try RecordCaster(schema: try TableSchema(path: path), sourceFields: single.schema.fieldNames)
                } catch let problems as SchemaProblems {
                    throw PublicaError(.usage, problems.problems.map { "\($0.type): \($0.note)" }.joined(separator: "; "),
                                       at: SourceLocation(file: path))
                }
            }
            let outcome: ConversionOutcome
            switch sinkFormat {
            case .csv:
                var sink = CSVWriter(file: file, lineEnding: ending, byteOrderMark: bom)
                outcome = try Convert.convert(&single, &caster, &sink, &rejectsWriter)
            case .tsv:
                var sink = CSVWriter(file: file, delimiter: UInt8(ascii: "\t"), lineEnding: ending, byteOrderMark: bom)
                outcome = try Convert.convert(&single, &caster, &sink, &rejectsWriter)
            case .json:
                var sink = JSONWriter(file: file)
                outcome = try Convert.convert(&single, &caster, &sink, &rejectsWriter)
            case .ndjson:
                var sink = NDJSONWriter(file: file)
                outcome = caster == nil ? try Conversion.runFused(&single, into: &sink, rejects: &rejectsWriter)
                    : try Convert.convert(&single, &caster, &sink, &rejectsWriter)
            }
            try Termination.check()
            try publication.publish()
            if !quiet { printError(outcome.summary(input: input, output: output, rejectsPath: rejectsWriter.path)) }
            if outcome.rejected > 0 { throw ExitCode(ExitStatus.publishedWithRejects.rawValue) }
        }
    }

    /// Converts with or without a schema, through the same sink.
    private static func convert<Sink: RecordSink>(_ source: inout any RecordSource, _ caster: inout RecordCaster?,
                                                  _ sink: inout Sink, _ rejects: inout RejectsWriter) throws -> ConversionOutcome {
        guard var schemaCaster = caster else { return try Conversion.run(&source, into: &sink, rejects: &rejects) }
        defer { caster = schemaCaster }
        return try Conversion.run(&source, casting: &schemaCaster, into: &sink, rejects: &rejects)
    }

    /// Several resources (a bulletin): OUTPUT is a directory with `<resource>.<ext>` each and `datapackage.json`.
    private func writeResources(_ resources: [Resource], ending: CSVWriter.LineEnding) throws {
        guard output != "-" else { throw PublicaError(.usage, "this input yields several resources: OUTPUT must be a directory") }
        try OwnedPaths.checkFolder(input: input, folder: output)
        Publication.recover(for: output + "/datapackage.json")
        let publication = Publication(anchor: output + "/datapackage.json")
        let format = try to.map { name -> Formats.Sink in
            guard let format = Formats.Sink(rawValue: name.lowercased()) else {
                throw PublicaError(.usage, "unknown output format '\(name)' (known: csv, tsv, json, ndjson)")
            }
            return format
        } ?? .ndjson
        var package = DataPackage(name: SourceOptions.resourceName(for: input), title: title, sources: [input])
        package.created = ISO8601DateFormatter().string(from: Date())
        package.version = packageVersion
        if let license {
            guard let known = DataPackage.License.known(license) else {
                throw PublicaError(.usage, "unknown license '\(license)' (known: KOGL-Type1 … KOGL-Type4, CC-BY-4.0, CC0-1.0)")
            }
            package.licenses = [known]
        }
        var total = 0
        for resource in resources {
            let fileName = "\(resource.name).\(format.fileExtension)"
            try OwnedPaths.check(input: input, output: output + "/" + fileName, rejects: nil)
            let file = try OutputFile(path: output + "/" + fileName, hashing: true, publication: publication)
            switch format {
            case .csv:
                var sink = CSVWriter(file: file, lineEnding: ending, byteOrderMark: bom)
                try Conversion.write(resource, into: &sink)
            case .tsv:
                var sink = CSVWriter(file: file, delimiter: UInt8(ascii: "\t"), lineEnding: ending, byteOrderMark: bom)
                try Conversion.write(resource, into: &sink)
            case .json:
                var sink = JSONWriter(file: file)
                try Conversion.write(resource, into: &sink)
            case .ndjson:
                var sink = NDJSONWriter(file: file)
                try Conversion.write(resource, into: &sink)
            }
            total += resource.records.count
            package.entries.append(DataPackage.Entry(
                name: resource.name, title: resource.title, path: fileName, format: format.rawValue,
                schema: resource.schema,
                fieldTypes: DataPackage.fieldTypes(of: resource.records, fieldCount: resource.schema.count),
                bytes: file.bytesWritten, sha256: file.sha256 ?? "", rows: resource.records.count))
        }
        try package.write(to: output + "/datapackage.json", publication: publication)
        try Termination.check()
        try publication.publish()
        if !quiet {
            var counts = resources.prefix(12).map { "\($0.name) \($0.records.count)" }.joined(separator: ", ")
            if resources.count > 12 { counts += ", and \(resources.count - 12) more" }
            printError("publica: \(input) -> \(output)/: \(counted(total, "record")) in \(counted(resources.count, "resource")) (\(counts)) "
                       + "and datapackage.json")
        }
    }

    private func resolveSourceFormat() throws -> String {
        if let from { return from.lowercased() }
        if input == "-" { throw PublicaError(.usage, "reading standard input needs --from") }
        guard let format = Formats.sources.format(forPath: input) else {
            throw PublicaError(.usage, "cannot tell the input format from '\(input)'; use --from "
                               + "(\(Formats.sources.formats.joined(separator: ", ")))")
        }
        return format
    }

    private func resolveSinkFormat() throws -> Formats.Sink {
        if let to {
            guard let format = Formats.Sink(rawValue: to.lowercased()) else {
                throw PublicaError(.usage, "unknown output format '\(to)' (known: csv, tsv, json, ndjson)")
            }
            return format
        }
        if output == "-" { throw PublicaError(.usage, "writing standard output needs --to") }
        guard let format = Formats.Sink(path: output) else {
            throw PublicaError(.usage, "cannot tell the output format from '\(output)'; use --to (csv, tsv, json, ndjson)")
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
