import PublicaCore
import PublicaExport
import PublicaIngest
import Yams

/// Pipeline file version 2: a release of several resources, published as one data package.
extension PipelineLoader {
    static let metadataKeys = [
        "title", "description", "license", "publisher", "contact", "keywords", "package_version", "homepage",
        "temporal", "spatial", "base_url", "dcat"
    ]
    static let schemaChangeValues = ["fail", "evolve", "ignore"]
    static let releaseKeys =
        ["version", "name", "output", "formats", "resources", "quality"] + metadataKeys
    static let resourceKeys = ["source", "sources", "schema", "steps", "title", "on_schema_change", "search"]
    /// The formats a release writes for every resource (`formats:`).
    static var releaseFormats: [String] { Formats.sinks.formats }

    /// `title`, `description`, `license`, `publisher`, `keywords`, the release's version and
    /// `homepage`, for `datapackage.json`; nil when the file gives none of them.
    func packageMetadata(_ top: [(Node, Node)], name: String, _ collector: Collector) -> DataPackage? {
        var package = DataPackage(name: name)
        var given = false
        func text(_ key: String) -> String? {
            guard let node = value(top, key) else { return nil }
            given = true
            guard let text = scalar(node) else {
                collector.error(node, "\(key) takes text")
                return nil
            }
            return text
        }
        package.title = text("title")
        package.description = text("description")
        package.homepage = text("homepage")
        // Not `version:`, which is the file's format (YAML keys are unique).
        package.version = text("package_version")
        if let node = value(top, "keywords") {
            given = true
            package.keywords = scalars(node, "keywords", collector) ?? []
        }
        if let node = value(top, "license") {
            given = true
            package.licenses = license(node, collector).map { [$0] } ?? []
        }
        if let node = value(top, "publisher") {
            given = true
            package.publisher = publisher(node, collector)
        }
        if let node = value(top, "contact") {
            given = true
            package.contact = publisher(node, collector, key: "contact")
        }
        if let node = value(top, "temporal") {
            given = true
            package.temporal = temporal(node, collector)
        }
        package.spatial = text("spatial")
        return given ? package : nil
    }

    /// `base_url:` (where the published folder is served, for DCAT's download URLs) and
    /// `dcat: false` (no `dcat.jsonld`).
    func catalogue(_ top: [(Node, Node)], into pipeline: inout Pipeline, _ collector: Collector) {
        if let node = value(top, "base_url") {
            let url = scalar(node) ?? ""
            if url.hasPrefix("https://") || url.hasPrefix("http://") {
                pipeline.baseURL = url
            } else {
                collector.error(node, "base_url takes the http(s) address the output folder is served at")
            }
        }
        if let node = value(top, "dcat") {
            if let on = node.bool {
                pipeline.writesDCAT = on
            } else {
                collector.error(node, "dcat takes true or false")
            }
        }
    }

    /// `temporal: {start: 2020-01-01, end: 2020-12-31}` (a year or year-month will do).
    private func temporal(_ node: Node, _ collector: Collector) -> (start: String?, end: String?)? {
        guard let pairs = mapping(node, "temporal", collector) else { return nil }
        checkKeys(pairs, known: ["start", "end"], where: "temporal", collector)
        var ends: [String?] = []
        for key in ["start", "end"] {
            guard let given = value(pairs, key) else {
                ends.append(nil)
                continue
            }
            let text = scalar(given) ?? ""
            let isDate = PipelineLoader.isISODate(text)
            if !isDate { collector.error(given, "temporal \(key) takes a date such as 2020-01-01, 2020-01 or 2020") }
            ends.append(isDate ? text : nil)
        }
        guard ends[0] != nil || ends[1] != nil else {
            if value(pairs, "start") == nil && value(pairs, "end") == nil {
                collector.error(node, "temporal takes start, end or both")
            }
            return nil
        }
        return (ends[0], ends[1])
    }

    /// `license: KOGL-Type1` (KOGL types 1 to 4, CC-BY-4.0, CC0-1.0) or `{name, path, title}`.
    private func license(_ node: Node, _ collector: Collector) -> DataPackage.License? {
        if let name = scalar(node) {
            if let known = DataPackage.License.known(name) { return known }
            collector.error(
                node,
                "unknown license '\(name)' (KOGL-Type1 … KOGL-Type4, CC-BY-4.0, CC0-1.0, or {name, path} for another)")
            return nil
        }
        guard let pairs = mapping(node, "license", collector) else { return nil }
        checkKeys(pairs, known: ["name", "path", "title"], where: "license", collector)
        guard let name = value(pairs, "name").flatMap(scalar), let path = value(pairs, "path").flatMap(scalar) else {
            collector.error(node, "a license not known by name needs a name and a path (its URL)")
            return nil
        }
        return DataPackage.License(name: name, path: path, title: value(pairs, "title").flatMap(scalar) ?? name)
    }

    /// `2020`, `2020-01` or `2020-01-31`, a real date.
    static func isISODate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let widths = [4, 2, 2]
        guard (1...3).contains(parts.count),
            zip(parts, widths).allSatisfy({ $0.count == $1 && $0.allSatisfy(\.isASCII) && Int($0) != nil })
        else { return false }
        let numbers = parts.map { Int($0)! }
        return DateValue(
            year: numbers[0], month: numbers.count > 1 ? numbers[1] : nil, day: numbers.count > 2 ? numbers[2] : nil)
            != nil
    }

    /// `publisher: {name, email, url}` (or just a name); `contact:` the same.
    private func publisher(_ node: Node, _ collector: Collector, key: String = "publisher") -> (
        name: String, email: String?, url: String?
    )? {
        if let name = scalar(node) { return (name, nil, nil) }
        guard let pairs = mapping(node, key, collector) else { return nil }
        checkKeys(pairs, known: ["name", "email", "url"], where: key, collector)
        guard let name = value(pairs, "name").flatMap(scalar) else {
            collector.error(node, "\(key) needs a name")
            return nil
        }
        return (name, value(pairs, "email").flatMap(scalar), value(pairs, "url").flatMap(scalar))
    }

    /// The release: its folder, formats and resources (each a pipeline of its own), the data
    /// package beside them, and the quality gates.
    func buildRelease(
        _ top: [(Node, Node)], _ root: Node, base: String, into release: Pipeline, _ collector: Collector
    ) -> Pipeline {
        var release = release
        guard let outputNode = value(top, "output"), let folder = releaseFolder(outputNode, base: base) else {
            collector.error(root, "a version 2 pipeline needs output: the release folder")
            return release
        }
        let directory = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        release.outputsLocation = SourceLocation(
            file: release.file, line: outputNode.mark?.line, column: outputNode.mark?.column)
        let formats = releaseFormats(top, collector)
        guard let resourcesNode = value(top, "resources"), let pairs = mapping(resourcesNode, "resources", collector),
            !pairs.isEmpty
        else {
            collector.error(root, "a version 2 pipeline needs resources: (name: {source: …})")
            return release
        }
        for (keyNode, body) in pairs {
            guard
                var resource = buildResource(
                    keyNode, body, base: base, file: release.file, folder: directory, formats: formats,
                    releaseName: release.name, collector)
            else { continue }
            resource.outputsLocation = release.outputsLocation
            release.resources.append(resource)
        }
        release.sources = release.resources.flatMap(\.sources)
        release.lookupFiles = release.resources.flatMap(\.lookupFiles)
        release.outputs = release.resources.flatMap(\.outputs)
        var package = Pipeline.Output(path: directory + "/datapackage.json", format: "datapackage")
        package.location = release.outputsLocation
        release.outputs.append(package)
        buildQuality(top, into: &release, collector)
        checkReferences(release, collector)
        return release
    }

    /// `formats: [csv, ndjson]` (the default).
    private func releaseFormats(_ top: [(Node, Node)], _ collector: Collector) -> [(format: String, node: Node?)] {
        guard let node = value(top, "formats") else { return [("csv", nil), ("ndjson", nil)] }
        guard let names = scalars(node, "formats", collector) else { return [] }
        var formats: [(String, Node?)] = []
        for name in names {
            let format = name == "jsonl" ? "ndjson" : name
            guard PipelineLoader.releaseFormats.contains(format) else {
                let hint = suggestion(for: name, among: PipelineLoader.releaseFormats).map { "; did you mean '\($0)'?" }
                collector.error(
                    node,
                    "unknown format '\(name)' (\(PipelineLoader.releaseFormats.joined(separator: ", ")))\(hint ?? "")")
                continue
            }
            if !formats.contains(where: { $0.0 == format }) { formats.append((format, node)) }
        }
        return formats
    }

    /// One entry of `resources:`: its source (or sources), schema and steps, and a file per format.
    private func buildResource(
        _ keyNode: Node, _ body: Node, base: String, file: String, folder: String,
        formats: [(format: String, node: Node?)], releaseName: String, _ collector: Collector
    ) -> Pipeline? {
        guard let name = scalar(keyNode), let pairs = mapping(body, "resource '\(scalar(keyNode) ?? "")'", collector)
        else { return nil }
        checkKeys(pairs, known: PipelineLoader.resourceKeys, where: "resource '\(name)'", collector)
        if let problem = PipelineLoader.resourceNameProblem(name) { collector.error(keyNode, problem) }
        var resource = Pipeline(file: file, name: name, sources: [], outputs: [])
        if let node = value(pairs, "source") {
            if let source = buildSource(keyNode, node, base: base, collector) { resource.sources = [source] }
        } else if let node = value(pairs, "sources") {
            guard case .sequence(let items) = node, !items.isEmpty else {
                collector.error(node, "sources takes a list of sources ({path: …})")
                return nil
            }
            resource.sources = items.compactMap { buildSource(keyNode, $0, base: base, collector) }
        } else {
            collector.error(body, "resource '\(name)' needs a source: {path: …}")
        }
        buildSchema(pairs, base: base, file: file, into: &resource, collector)
        resource.searchFields = searchFields(pairs, collector)
        buildSteps(pairs, file: file, into: &resource, collector)
        resource.lookupFiles = resource.steps.compactMap { ($0 as? JoinStep)?.lookupFile }
        appendForeignKeyChecks(pairs, file: file, into: &resource)
        resource.title = value(pairs, "title").flatMap(scalar)
        resource.onSchemaChange = schemaChangePolicy(pairs, collector) ?? .fail
        for (format, node) in formats {
            // One database for the release, a table per resource in it.
            let file = format == "sqlite" ? "\(releaseName).sqlite" : "\(name).\(format)"
            var output = Pipeline.Output(path: "\(folder)/\(file)", format: format)
            output.location = SourceLocation(file: file, line: node?.mark?.line, column: node?.mark?.column)
            resource.outputs.append(output)
        }
        return resource
    }

    /// `on_schema_change: fail | evolve | ignore`; nil when not given.
    func schemaChangePolicy(_ pairs: [(Node, Node)], _ collector: Collector) -> SchemaChangePolicy? {
        guard let node = value(pairs, "on_schema_change") else { return nil }
        guard let policy = scalar(node).flatMap(SchemaChangePolicy.init(rawValue:)) else {
            let hint = scalar(node).flatMap { suggestion(for: $0, among: PipelineLoader.schemaChangeValues) }
            collector.error(
                node, "on_schema_change takes fail, evolve or ignore" + (hint.map { "; did you mean '\($0)'?" } ?? ""))
            return nil
        }
        return policy
    }

    /// A foreign key to another resource of the release is checked by a step after the
    /// resource's own ones, placed at the schema (a self-reference is not checked in a run).
    private func appendForeignKeyChecks(_ pairs: [(Node, Node)], file: String, into resource: inout Pipeline) {
        guard let schema = resource.schema else { return }
        let node = value(pairs, "schema")
        // A key that is not found follows the cast's on_error for the key's (first) field.
        let policies = resource.steps.compactMap { ($0 as? SchemaStep)?.onError }.first ?? [:]
        for key in schema.foreignKeys where !key.resource.isEmpty {
            var check = ForeignKeyStep(
                fields: key.fields, resource: key.resource, referencedFields: key.referencedFields)
            check.onError = key.fields.first.flatMap { policies[$0] } ?? .reject
            resource.steps.append(check)
            resource.stepLocations.append(
                SourceLocation(file: file, line: node?.mark?.line, column: node?.mark?.column))
        }
    }

    /// A resource name names its files and its entry in the data package: lowercase letters,
    /// digits, `-`, `_` and `.`, as Frictionless asks.
    static func resourceNameProblem(_ name: String) -> String? {
        let allowed = name.utf8.allSatisfy { byte in
            (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x5F
                || byte == 0x2E
        }
        guard !allowed || name.isEmpty || name.hasPrefix(".") || name.utf8.count > 100 else { return nil }
        return
            "the resource name '\(name)' must be lowercase letters, digits, '-', '_' or '.' (it names the resource's "
            + "files and its entry in datapackage.json), not starting with '.'"
    }

    /// Every resource a join or a foreign key names exists, and none depends on itself through others.
    private func checkReferences(_ release: Pipeline, _ collector: Collector) {
        let names = release.resources.map(\.name)
        for resource in release.resources {
            for (index, step) in resource.steps.enumerated() {
                guard let wanted = Release.dependency(of: step), !names.contains(wanted) || wanted == resource.name
                else { continue }
                let location = index < resource.stepLocations.count ? resource.stepLocations[index] : nil
                let hint = suggestion(for: wanted, among: names).map { "; did you mean '\($0)'?" } ?? ""
                collector.diagnostics.append(
                    .pipeline(
                        wanted == resource.name
                            ? "\(step.name) in resource '\(wanted)' refers to the resource itself"
                            : "\(step.name) in resource '\(resource.name)' refers to no resource '\(wanted)' "
                                + "(resources: \(names.joined(separator: ", ")))\(hint)",
                        file: collector.file, line: location?.line ?? 1, column: location?.column ?? 1))
            }
        }
        if collector.diagnostics.isEmpty, Release.order(release.resources) == nil {
            collector.diagnostics.append(
                .pipeline(
                    "the resources' joins and foreign keys go round in a circle; one must come first",
                    file: collector.file, line: release.outputsLocation?.line ?? 1, column: 1))
        }
    }
}
