import Foundation
import PublicaCore
import PublicaIngest
import PublicaValidation
import Yams

/// Reads a pipeline file (YAML, format version 1) and reports every problem with its line and
/// column: YAML errors, unknown keys (with a did-you-mean), wrong types, unknown steps,
/// missing files. `${NAME}` and `${NAME:-default}` are taken from the environment (an unset one
/// without a default is an error; a value may name an output's folder only from the very start
/// of its path, and stays within one name anywhere else in it and in `name`); paths are
/// relative to the pipeline file.
public struct PipelineLoader {
    /// The variables `${NAME}` and `${NAME:-default}` are expanded from (by default the process's).
    public var environment: [String: String]
    /// For `run --replay`: a remote source's secret may come from a variable that is not set,
    /// since nothing is sent.
    public var replaying = false
    /// The variables expansion used, and those it found unset (reported at their place).
    private let expansions = Expansions()

    /// A loader that expands variables from `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    private final class Expansions {
        var used: [String: String] = [:]
        var unset: [(name: String, line: Int, column: Int)] = []
        /// Values that would move a written path (``PathRule``), as messages at their place.
        var misplaced: [(message: String, line: Int, column: Int)] = []
        var current: Mark?
        /// What the scalar being expanded names, when it names a written path.
        var rule: PathRule?
        /// Whether an output path had an unset or refused variable: it is not the path meant,
        /// so the output-folder rules, which would only add errors about it, are not checked.
        var outputPathFlawed = false
    }

    /// What a scalar whose variables are checked names: a variable's value may choose the
    /// folder of an output path only from the path's very start; anywhere else, and in the
    /// pipeline name (which names the rejects file), it stays within one name.
    private enum PathRule {
        case outputPath, pipelineName
    }

    static let topKeys = [
        "version", "name", "sources", "schema", "steps", "outputs", "quality", "on_schema_change", "search"
    ]
    static let sourceKeys = [
        "format", "path", "encoding", "invalid_bytes", "delimiter", "header_row", "header_rows", "skip_rows",
        "no_header",
        "trim",
        "on_ragged", "record_path", "preset", "profile", "resource", "comment", "max_record_size", "max_fields",
        "sheet", "range", "merged"
    ]
    static let stepNames = [
        "select", "rename", "derive", "filter", "cast", "validate", "dedupe", "head",
        // Reshaping (pipeline file version 2's catalogue; version 1 files may use them too).
        "unpivot", "pivot", "join", "sort", "aggregate", "fill_down", "split", "explode", "replace", "map", "trim",
        "slice"
    ]
    static let qualityKeys = ["max_rejects", "max_reject_ratio", "min_rows", "max_row_drop_ratio"]
    static let outputKeys = ["path", "format"]
    /// Pipeline files are small; anything larger is a wrong path, not a pipeline.
    static let maxFileBytes = 1 << 20

    final class Collector {
        let file: String
        var diagnostics: [Diagnostic] = []
        /// Nodes visited, so an alias bomb cannot make checking take forever.
        var visited = 0
        init(file: String) { self.file = file }

        func error(_ node: Node?, _ message: String) {
            diagnostics.append(
                .pipeline(message, file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1))
        }
    }

    /// Loads and checks `path`; throws ``PipelineProblems`` with every problem found.
    public func load(path: String) throws -> Pipeline {
        let collector = Collector(file: path)
        expansions.used = [:]
        expansions.unset = []
        expansions.misplaced = []
        expansions.outputPathFlawed = false
        let text: String
        do {
            let bytes = try FileInput.readAll(path: path, limit: PipelineLoader.maxFileBytes)
            guard let decoded = String(validating: bytes, as: UTF8.self) else {
                throw PublicaError(.usage, "the pipeline file is not UTF-8 text", at: SourceLocation(file: path))
            }
            text = decoded
        } catch let error as PublicaError {
            throw PublicaError(
                .usage, "cannot read the pipeline file: \(error.message)", at: SourceLocation(file: path))
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw PipelineProblems(diagnostics: [
                    Diagnostic.pipeline("the pipeline file is empty", file: path, line: 1, column: 1)
                ])
            }
            root = node
        } catch let error as YamlError {
            throw PipelineProblems(diagnostics: [PipelineLoader.diagnostic(error, file: path)])
        }
        let base = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        var pipeline = build(root, base: base, file: path, collector)
        reportVariables(collector)
        if var built = pipeline {
            built.environmentUsed = expansions.used
            if !expansions.outputPathFlawed { checkOutputs(built, collector) }
            pipeline = built
        }
        if !collector.diagnostics.isEmpty { throw PipelineProblems(diagnostics: collector.diagnostics) }
        return pipeline!
    }

    static func diagnostic(_ error: YamlError, file: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let message = "invalid YAML: \(problem)" + (context.map { " (\($0.text))" } ?? "")
            return .pipeline(message, file: file, line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            let hint =
                duplicates.contains("version")
                ? " (the file's format is version:, the release's own version is package_version:)" : ""
            return .pipeline(
                "\(keys) appears more than once in one mapping; a key may be given once\(hint)", file: file,
                line: context.mark.line, column: context.mark.column)
        default:
            return .pipeline("invalid YAML: \(error)", file: file, line: 1, column: 1)
        }
    }

    // MARK: - Building

    /// `name:` (the default: the file's base name), which names the rejects file.
    func pipelineName(_ top: [(Node, Node)], file: String, _ collector: Collector) -> String {
        let misplaced = expansions.misplaced.count
        let name =
            value(top, "name").flatMap { scalar($0, naming: .pipelineName) } ?? SourceOptions.resourceName(for: file)
        // A variable that made the name wrong is the one error at its place.
        if expansions.misplaced.count == misplaced, let problem = PipelineLoader.nameProblem(name) {
            collector.error(value(top, "name"), problem)
        }
        return name
    }

    /// A release's `output:` folder, its variables checked as an output path's are.
    func releaseFolder(_ node: Node, base: String) -> String? {
        scalar(node, naming: .outputPath).map { resolve($0, base: base) }
    }

    private func build(_ root: Node, base: String, file: String, _ collector: Collector) -> Pipeline? {
        guard let top = mapping(root, "the pipeline", collector) else { return nil }
        let format = value(top, "version").flatMap(scalar) ?? "1"
        guard format == "1" || format == "2" else {
            collector.error(
                value(top, "version"), "unsupported version '\(format)' (this Publica reads versions 1 and 2)")
            return nil
        }
        checkKeys(
            top,
            known: format == "2" ? PipelineLoader.releaseKeys : PipelineLoader.topKeys + PipelineLoader.metadataKeys,
            where: "the pipeline", collector)
        var pipeline = Pipeline(
            file: file, name: pipelineName(top, file: file, collector), sources: [], schema: nil, steps: [], outputs: []
        )
        pipeline.package = packageMetadata(top, name: pipeline.name, collector)
        catalogue(top, into: &pipeline, collector)
        if format == "2" { return buildRelease(top, root, base: base, into: pipeline, collector) }
        if let sourcesNode = value(top, "sources"), let sources = mapping(sourcesNode, "sources", collector) {
            pipeline.sources = sources.compactMap { buildSource($0, $1, base: base, collector) }
        } else {
            collector.error(root, "the pipeline needs sources")
        }
        buildSchema(top, base: base, file: file, into: &pipeline, collector)
        pipeline.searchFields = searchFields(top, collector)
        pipeline.onSchemaChange = schemaChangePolicy(top, collector) ?? .ignore
        buildSteps(top, file: file, into: &pipeline, collector)
        buildOutputs(top, root, base: base, file: file, into: &pipeline, collector)
        buildQuality(top, into: &pipeline, collector)
        return pipeline
    }

    /// One entry of `sources:`: its path (which must exist), options and format.
    func buildSource(
        _ keyNode: Node, _ sourceNode: Node, base: String, _ collector: Collector, named given: String? = nil
    ) -> Pipeline.Source? {
        guard let sourceName = given ?? scalar(keyNode),
            let source = mapping(sourceNode, "source '\(given ?? scalar(keyNode) ?? "")'", collector)
        else { return nil }
        if let urlNode = value(source, "url") {
            return buildRemoteSource(sourceName, source, urlNode, base: base, collector)
        }
        checkKeys(source, known: PipelineLoader.sourceKeys + ["url"], where: "source '\(sourceName)'", collector)
        guard let pathNode = value(source, "path"), let relative = scalar(pathNode) else {
            collector.error(sourceNode, "source '\(sourceName)' needs a path")
            return nil
        }
        let sourcePath = resolve(relative, base: base)
        if !FileManager.default.fileExists(atPath: sourcePath) {
            collector.error(pathNode, "no such file: \(sourcePath)")
        }
        let options = sourceOptions(source, base: base, collector)
        let known = Formats.sources.formats
        let format: String
        if let node = value(source, "format"), let given = scalar(node) {
            format = given
            if !known.contains(given) {
                let hint = suggestion(for: given, among: known).map { "; did you mean '\($0)'?" } ?? ""
                collector.error(node, "unknown format '\(given)' (known: \(known.joined(separator: ", ")))\(hint)")
            }
        } else if let implied = Formats.sources.format(forPath: relative) {
            format = implied
        } else {
            format = ""
            collector.error(
                pathNode,
                "cannot tell the format of '\(relative)' from its name; add 'format:' (\(known.joined(separator: ", ")))"
            )
        }
        return Pipeline.Source(
            name: sourceName, format: format, path: sourcePath, options: options,
            resource: value(source, "resource").flatMap(scalar))
    }

    /// A source's reading options (encoding, dialect, header, limits, XML and bulletin keys).
    func sourceOptions(_ source: [(Node, Node)], base: String, _ collector: Collector) -> SourceOptions {
        var options = SourceOptions()
        if let node = value(source, "encoding") {
            if let encoding = scalar(node).flatMap(TextEncoding.init(name:)) {
                options.encoding = encoding
            } else {
                collector.error(
                    node, "unknown encoding '\(scalar(node) ?? "")' (auto, utf-8, utf-16, cp949, euc-kr, latin1)")
            }
        }
        if let node = value(source, "invalid_bytes") {
            if let policy = scalar(node).flatMap(InvalidBytePolicy.init(rawValue:)) {
                options.invalidBytes = policy
            } else {
                collector.error(node, "invalid_bytes must be strict or replace")
            }
        }
        if let node = value(source, "delimiter") {
            let text = scalar(node) ?? ""
            if text == "auto" {
                options.sniffsDelimiter = true
            } else if text == "tab" || text == "\t" {
                options.delimiter = 9
            } else if text.utf8.count == 1 {
                options.delimiter = text.utf8.first
            } else {
                collector.error(node, "delimiter takes one character, 'tab' or auto")
            }
        }
        if let node = value(source, "comment"), let text = scalar(node), text.utf8.count == 1 {
            options.commentPrefix = text.utf8.first
        }
        if let node = value(source, "header_row") {
            if scalar(node) == "auto" {
                options.findsHeaderRow = true
            } else {
                if let line = scalar(node).flatMap({ Int($0) }), line >= 1 {
                    options.headerRow = line
                } else {
                    collector.error(node, "header_row must be a line number (1 or more) or auto")
                }
            }
        }
        if let node = value(source, "header_rows") {
            options.headerRows = integer(node, "header_rows", minimum: 1, collector) ?? 1
        }
        if let node = value(source, "trim") {
            if let mode = scalar(node).flatMap(TrimMode.init(name:)) {
                options.trim = mode
            } else {
                collector.error(node, "trim must be true, false, start or end")
            }
        }
        if let node = value(source, "skip_rows") {
            options.skipRows = integer(node, "skip_rows", minimum: 0, collector) ?? 0
        }
        if let node = value(source, "no_header") { options.hasHeader = !(node.bool ?? false) }
        if let node = value(source, "on_ragged") {
            if let policy = scalar(node).flatMap(FieldCountPolicy.init(rawValue:)), policy != .keep {
                options.fieldCountPolicy = policy
            } else {
                collector.error(node, "on_ragged must be error, reject or pad")
            }
        }
        if let node = value(source, "max_record_size") {
            if let size = scalar(node).flatMap(ReadLimits.parseSize) {
                options.limits.maxRecordBytes = size
            } else {
                collector.error(node, "max_record_size takes a size such as 64MiB, 512KiB or a number of bytes")
            }
        }
        if let node = value(source, "max_fields") {
            options.limits.maxFields = integer(node, "max_fields", minimum: 1, collector) ?? options.limits.maxFields
        }
        options.recordPath = value(source, "record_path").flatMap(scalar)
        options.preset = value(source, "preset").flatMap(scalar)
        if let node = value(source, "profile"), let profile = scalar(node) {
            options.extra["profile"] = resolve(profile, base: base)
        }
        for key in ["sheet", "range", "merged"] { options.extra[key] = value(source, key).flatMap(scalar) }
        return options
    }

    /// `schema:`, a path or inline.
    func buildSchema(
        _ top: [(Node, Node)], base: String, file: String, into pipeline: inout Pipeline, _ collector: Collector
    ) {
        if let schemaNode = value(top, "schema") {
            do {
                if let relative = scalar(schemaNode) {
                    let schemaPath = resolve(relative, base: base)
                    pipeline.schemaFile = schemaPath
                    if FileManager.default.fileExists(atPath: schemaPath) {
                        pipeline.schema = try TableSchema(path: schemaPath)
                    } else {
                        collector.error(schemaNode, "no such file: \(schemaPath)")
                    }
                } else {
                    pipeline.schema = try TableSchema(descriptor: fieldValue(schemaNode), source: file)
                }
            } catch let problems as SchemaProblems {
                for problem in problems.problems { collector.error(schemaNode, "\(problem.code): \(problem.message)") }
            } catch {
                collector.error(schemaNode, "invalid schema: \(error)")
            }
        }
    }

    /// `search: [fields]`: what a SQLite output's full-text index covers; nil when not given.
    func searchFields(_ pairs: [(Node, Node)], _ collector: Collector) -> [String]? {
        value(pairs, "search").flatMap { scalars($0, "search", collector) }
    }

    func buildSteps(_ top: [(Node, Node)], file: String, into pipeline: inout Pipeline, _ collector: Collector) {
        if let stepsNode = value(top, "steps") {
            guard case .sequence(let steps) = stepsNode else {
                collector.error(stepsNode, "steps must be a list")
                return
            }
            for stepNode in steps {
                if let step = buildStep(stepNode, schema: pipeline.schema, collector) {
                    pipeline.steps.append(step)
                    pipeline.stepLocations.append(
                        SourceLocation(file: file, line: stepNode.mark?.line, column: stepNode.mark?.column))
                }
            }
        }
    }

    private func buildOutputs(
        _ top: [(Node, Node)], _ root: Node, base: String, file: String, into pipeline: inout Pipeline,
        _ collector: Collector
    ) {
        if let outputsNode = value(top, "outputs"), case .sequence(let outputs) = outputsNode {
            pipeline.outputsLocation = SourceLocation(
                file: file, line: outputsNode.mark?.line, column: outputsNode.mark?.column)
            for outputNode in outputs {
                guard let output = mapping(outputNode, "an output", collector) else { continue }
                checkKeys(output, known: PipelineLoader.outputKeys, where: "an output", collector)
                guard let pathNode = value(output, "path"), let relative = scalar(pathNode, naming: .outputPath)
                else {
                    collector.error(outputNode, "an output needs a path")
                    continue
                }
                let isDirectory = relative.hasSuffix("/")
                let extensionFormat =
                    relative.hasSuffix("datapackage.json")
                    ? "datapackage"
                    : (Formats.sinks.format(forPath: relative)
                        ?? relative.split(separator: "/").last?.split(separator: ".").last.map(String.init) ?? "")
                var format = value(output, "format").flatMap(scalar) ?? (isDirectory ? "ndjson" : extensionFormat)
                if format == "jsonl" { format = "ndjson" }
                guard format == "datapackage" || Formats.sinks.format(named: format) != nil else {
                    let known = Formats.sinks.formats.joined(separator: ", ")
                    collector.error(pathNode, "unknown output format '\(format)' (\(known), datapackage.json)")
                    continue
                }
                var entry = Pipeline.Output(
                    path: resolve(relative, base: base), format: format, isDirectory: isDirectory)
                entry.location = SourceLocation(file: file, line: pathNode.mark?.line, column: pathNode.mark?.column)
                pipeline.outputs.append(entry)
            }
        } else {
            collector.error(root, "the pipeline needs outputs (a list of {path: ...})")
        }
    }

    func buildQuality(_ top: [(Node, Node)], into pipeline: inout Pipeline, _ collector: Collector) {
        if let qualityNode = value(top, "quality"), let quality = mapping(qualityNode, "quality", collector) {
            checkKeys(quality, known: PipelineLoader.qualityKeys, where: "quality", collector)
            if let node = value(quality, "max_rejects") {
                pipeline.quality.maxRejects = integer(node, "max_rejects", minimum: 0, collector)
            }
            if let node = value(quality, "min_rows") {
                pipeline.quality.minRows = integer(node, "min_rows", minimum: 0, collector)
            }
            if let node = value(quality, "max_reject_ratio") {
                pipeline.quality.maxRejectRatio = ratio(node, "max_reject_ratio", collector)
            }
            if let node = value(quality, "max_row_drop_ratio") {
                pipeline.quality.maxRowDropRatio = ratio(node, "max_row_drop_ratio", collector)
            }
        }
    }

    // MARK: - Node helpers

    func mapping(_ node: Node, _ what: String, _ collector: Collector) -> [(Node, Node)]? {
        collector.visited += 1
        guard collector.visited < 100_000 else {
            if collector.visited == 100_000 { collector.error(node, "the pipeline file is too large (an alias bomb?)") }
            return nil
        }
        guard case .mapping(let pairs) = node else {
            collector.error(node, "\(what) must be a mapping (key: value)")
            return nil
        }
        return pairs.map { ($0.key, $0.value) }
    }

    func value(_ pairs: [(Node, Node)], _ key: String) -> Node? {
        pairs.first { scalar($0.0) == key }?.1
    }

    func checkKeys(_ pairs: [(Node, Node)], known: [String], where place: String, _ collector: Collector) {
        for (key, _) in pairs {
            guard let name = scalar(key) else { continue }
            if !known.contains(name) {
                let hint = suggestion(for: name, among: known).map { "; did you mean '\($0)'?" } ?? ""
                collector.error(key, "unknown key '\(name)' in \(place)\(hint)")
            }
        }
    }

    /// The texts of a list of plain values; anything else (a nested list, a mapping, an alias to
    /// one) is reported at its place rather than dropped.
    func scalars(_ node: Node, _ what: String, _ collector: Collector) -> [String]? {
        guard case .sequence(let items) = node else {
            collector.error(node, "\(what) takes a list of values")
            return nil
        }
        var texts: [String] = []
        for item in items {
            if let text = scalar(item) {
                texts.append(text)
            } else {
                collector.error(item, "\(what) takes plain values, not a nested list or mapping")
            }
        }
        return texts
    }

    /// A scalar's text with `${NAME}` and `${NAME:-default}` replaced.
    func scalar(_ node: Node) -> String? {
        scalar(node, naming: nil)
    }

    /// A secret parameter's text; when ``replaying``, an unset variable in it is no error.
    func secretScalar(_ node: Node) -> String? {
        let known = expansions.unset.count
        let text = scalar(node)
        if replaying { expansions.unset.removeSubrange(known...) }
        return text
    }

    /// A scalar's text with its variables replaced; with `rule`, a written path whose variables'
    /// values are checked against it.
    private func scalar(_ node: Node, naming rule: PathRule?) -> String? {
        guard case .scalar(let value) = node else { return nil }
        expansions.current = node.mark
        expansions.rule = rule
        defer {
            expansions.current = nil
            expansions.rule = nil
        }
        return expand(value.string)
    }

    /// An unset `${NAME}` without a default is an error at its place, never an empty string
    /// (`${NOPE}/data/out.csv` would publish to `/data/out.csv`); so is a value that would move
    /// a written path (``PathRule``).
    private func reportVariables(_ collector: Collector) {
        var seen = Set<String>()
        for unset in expansions.unset where seen.insert("\(unset.line):\(unset.column):\(unset.name)").inserted {
            collector.diagnostics.append(
                .pipeline(
                    "environment variable \(unset.name) is not set or empty (write ${\(unset.name):-default} to give a default)",
                    file: collector.file, line: unset.line, column: unset.column))
        }
        for problem in expansions.misplaced
        where seen.insert("\(problem.line):\(problem.column):\(problem.message)").inserted {
            collector.diagnostics.append(
                .pipeline(problem.message, file: collector.file, line: problem.line, column: problem.column))
        }
    }

    /// Checks the value `${name}` gave a written path against the scalar's ``PathRule``: `leads`
    /// when the variable opens the text, `alone` when it is a whole name (nothing but `/` or the
    /// text's ends beside it).
    private func checkPlacement(name: String, value: String, isDefault: Bool, leads: Bool, alone: Bool) {
        guard let rule = expansions.rule else { return }
        let subject =
            isDefault ? "the default of environment variable \(name)" : "environment variable \(name)"
        let message: String
        if value.isEmpty && alone {
            message =
                rule == .outputPath
                ? "\(subject) is empty, which would leave an empty name in the output path; give it one that is not empty"
                : "\(subject) is empty, which would leave the pipeline name empty; give it one that is not empty"
        } else if rule == .outputPath && leads {
            return  // it chooses the folder, which the output-folder rules then check
        } else if value.contains("/") || value == "." || value == ".." {
            message =
                rule == .outputPath
                ? "\(subject) is '\(value)', which cannot go inside an output path: a value there must stay within one name "
                    + "(no '/', not '.' or '..'); only a variable at the very start of the path may choose the folder"
                : "\(subject) is '\(value)', which cannot go into the pipeline name: it names the rejects file, so a "
                    + "value must stay within one file name (no '/', not '.' or '..')"
        } else {
            return
        }
        let mark = expansions.current
        expansions.misplaced.append((message, mark?.line ?? 1, mark?.column ?? 1))
        if rule == .outputPath { expansions.outputPathFlawed = true }
    }

    /// `text` with `${NAME}` and `${NAME:-default}` replaced from the environment.
    public func expand(_ text: String) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                result += rest[start.lowerBound...]
                return result
            }
            let body = rest[start.upperBound..<end]
            let after = text.index(after: end)
            let leads = start.lowerBound == text.startIndex
            let alone =
                (leads || text[text.index(before: start.lowerBound)] == "/")
                && (after == text.endIndex || text[after] == "/")
            if let separator = body.range(of: ":-") {
                let name = String(body[..<separator.lowerBound])
                let given = environment[name].flatMap { $0.isEmpty ? nil : $0 }
                let value = given ?? String(body[separator.upperBound...])
                expansions.used[name] = value
                checkPlacement(name: name, value: value, isDefault: given == nil, leads: leads, alone: alone)
                result += value
            } else if let value = environment[String(body)], !value.isEmpty {
                expansions.used[String(body)] = value
                checkPlacement(name: String(body), value: value, isDefault: false, leads: leads, alone: alone)
                result += value
            } else {
                expansions.unset.append((String(body), expansions.current?.line ?? 1, expansions.current?.column ?? 1))
                if expansions.rule == .outputPath { expansions.outputPathFlawed = true }
            }
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    func integer(_ node: Node, _ key: String, minimum: Int, _ collector: Collector) -> Int? {
        guard let text = scalar(node), let number = Int(text), number >= minimum else {
            collector.error(node, "\(key) must be a whole number of at least \(minimum)")
            return nil
        }
        return number
    }

    func ratio(_ node: Node, _ key: String, _ collector: Collector) -> Double? {
        guard let text = scalar(node), let number = Double(text), (0...1).contains(number) else {
            collector.error(node, "\(key) must be a number from 0 to 1")
            return nil
        }
        return number
    }

    func resolve(_ path: String, base: String) -> String {
        let joined = path.hasPrefix("/") ? path : base + path
        return PathNormalization.normalize(joined) + (path.hasSuffix("/") ? "/" : "")
    }

    /// A YAML node as JSON-like values (for an inline schema).
    func fieldValue(_ node: Node) -> FieldValue {
        switch node {
        case .scalar(let value):
            let text = expand(value.string)
            if value.style == .plain {
                if let bool = node.bool, ["true", "false"].contains(text.lowercased()) { return .boolean(bool) }
                if let integer = Int64(text) { return .integer(integer) }
                if let decimal = ExactDecimal(text), text.contains(".") { return .decimal(decimal) }
            }
            return .text(text)
        case .mapping(let pairs):
            return .object(pairs.map { (key: expand($0.key.string ?? ""), value: fieldValue($0.value)) })
        case .sequence(let items): return .list(items.map(fieldValue))
        case .alias: return .null
        }
    }
}
