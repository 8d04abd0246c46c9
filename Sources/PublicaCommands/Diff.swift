import ArgumentParser
import PublicaCore
import PublicaExport
import PublicaJSON
import PublicaPipeline

/// `publica diff OLD NEW --key FIELDS`: what changed between two versions of a table or a release.
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the rows added, removed and changed between two versions of a table or a data package.",
        discussion: """
            OLD and NEW are tables in any format Publica reads (--from, or their extensions), or two release \
            folders (or datapackage.json files): then each resource in both is compared by name, by its schema's \
            primaryKey unless --key is given, and resources only in one are listed. Rows are matched by --key \
            (comma-separated field names), columns by name; values compare as text, null equal to "". Both \
            sides are sorted by key within --memory, spilling to temporary files past it. \
            --format summary (the default) prints counts: rows on each side, added, removed, changed, unchanged, \
            changes per column, columns added and removed. --format ndjson writes one JSON object per differing \
            row, in key order ({"op":"added"|"removed"|"changed","key":{…},"row":{…}} or "changes":{"col":\
            {"old":…,"new":…}}; "resource" for a package), then one {"op":"summary",…} line. \
            Exit 0 when the comparison is done, whether or not the versions differ; 64 for a key field a side \
            lacks; 65 for a key that appears twice on one side (both places named).
            """
    )

    @Argument(help: "The old version: a table, or a folder with datapackage.json.")
    var old: String

    @Argument(help: "The new version: a table, or a folder with datapackage.json.")
    var new: String

    @Option(help: "The key fields rows are matched by (a,b); for packages, default: each resource's primaryKey.")
    var key: String?

    @Option(help: "Output: summary (counts, for people) or ndjson (a line per differing row, then the summary).")
    var format: String = "summary"

    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.")
    var output: String?

    @Option(
        help: "The input format of both tables (csv, tsv, json, ndjson, xml, xlsx); default: from the extensions.")
    var from: String?

    @Option(
        help: ArgumentHelp(
            "The memory the sort by key may use; past it, it spills to temporary files, and the result is the same.",
            valueName: "size"))
    var memory = "256MiB"

    @OptionGroup var reading: ReadingOptions

    @OptionGroup var logging: LogOptions

    func run() throws {
        try runReportingErrors(logging) { _ in
            Termination.catchSignals()
            guard format == "summary" || format == "ndjson" else {
                throw PublicaError(.usage, "--format must be summary or ndjson")
            }
            guard let bytes = ReadLimits.parseSize(memory), bytes > 0 else {
                throw PublicaError(.usage, "--memory takes a size such as 256MiB, 1GiB or a number of bytes")
            }
            let fields = key.map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
            }
            try checkOutputPath()
            var writer = DiffWriter(
                output: OutputBuffer(file: try OutputFile(path: output ?? "-")), ndjson: format == "ndjson")
            let budget = MemoryBudget(bytes: bytes)
            switch (PackageDiff.isPackage(old), PackageDiff.isPackage(new)) {
            case (true, true):
                let packages = try PackageDiff(old: old, new: new, key: fields)
                let summary = try packages.compare(budget: budget) { try writer.write($1, resource: $0) }
                try writer.finish(summary, old: old, new: new)
            case (false, false):
                guard let fields else { throw PublicaError(.usage, "comparing two tables needs --key FIELD[,FIELD…]") }
                let options = try reading.sourceOptions()
                var diff = TableDiff(key: fields, budget: budget)
                let summary = try diff.compare(
                    old: DiffTable(path: old, format: from, options: options),
                    new: DiffTable(path: new, format: from, options: options)
                ) { try writer.write($0, resource: nil) }
                try writer.finish(summary, old: old, new: new)
            default:
                throw PublicaError(
                    .usage, "OLD and NEW must both be tables or both be data packages (folders with datapackage.json)")
            }
            try Termination.check()
            try writer.commit()
        }
    }

    /// The output must not replace an input.
    private func checkOutputPath() throws {
        guard let output, output != "-" else { return }
        for input in [old, new] where OwnedPaths.same(output, input) {
            throw PublicaError(
                .usage, "the output is an input file; write to another path", at: SourceLocation(file: output))
        }
    }
}

/// Writes a diff: its differing rows as NDJSON (only with `ndjson`), then its summary.
struct DiffWriter {
    var output: OutputBuffer
    let ndjson: Bool

    /// One differing row, as a JSON line (with its resource's name for a package).
    mutating func write(_ difference: RowDifference, resource: String?) throws {
        guard ndjson else { return }
        var line = difference.descriptor
        if let resource, case .object(var pairs) = line {
            pairs.insert(("resource", .text(resource)), at: 1)
            line = .object(pairs)
        }
        try output.append(JSONText.render(line) + "\n")
    }

    /// A table's summary: a JSON line, or text under the two paths.
    mutating func finish(_ summary: DiffSummary, old: String, new: String) throws {
        try finish(summary.descriptor, text: summary.text(), old: old, new: new)
    }

    /// A package's summary: a JSON line, or text under the two paths.
    mutating func finish(_ summary: PackageDiffSummary, old: String, new: String) throws {
        try finish(summary.descriptor, text: summary.text, old: old, new: new)
    }

    private mutating func finish(_ descriptor: FieldValue, text: String, old: String, new: String) throws {
        guard ndjson else { return try output.append("old: \(old)\nnew: \(new)\n" + text) }
        guard case .object(let pairs) = descriptor else { return }
        try output.append(JSONText.render(.object([("op", .text("summary"))] + pairs)) + "\n")
    }

    /// Writes what is left; a file output appears only now, complete.
    mutating func commit() throws { try output.commitFile() }
}
