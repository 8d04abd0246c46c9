import PublicaCore
import PublicaSQLite

extension PipelineLoader {
    /// Names a run writes beside the outputs, which no output may take.
    static func reservedNames(pipelineName: String) -> Set<String> {
        [OutputFolder.stateName, OutputFolder.reportName, OutputFolder.reportPageName, "\(pipelineName).rejects.ndjson"]
    }

    /// Why `name` cannot name a pipeline (it names the rejects file, so it must stay one plain
    /// file name inside the output folder), or nil.
    static func nameProblem(_ name: String) -> String? {
        if name.isEmpty || name == "." || name == ".." || name.hasPrefix(".") || name.contains("/")
            || name.contains("\0")
        {
            return
                "the pipeline name '\(name)' must be a plain file name (no '/', not starting with '.'): it names the rejects file"
        }
        return name.utf8.count > 200 ? "the pipeline name is longer than 200 bytes" : nil
    }

    /// Outputs must go straight into one folder, each under its own name, none under a name the
    /// runner writes itself; and the folder must be one a run may replace (``OutputFolder``).
    func checkOutputs(_ pipeline: Pipeline, _ collector: Collector) {
        let folder = pipeline.outputDirectory
        if folder.isEmpty || folder == "/" {
            let location = pipeline.outputsLocation
            collector.diagnostics.append(
                Diagnostic.pipeline(
                    "the outputs need a folder of their own, not the root folder", file: collector.file,
                    line: location?.line ?? 1, column: location?.column ?? 1))
            return
        }
        var reserved = pipeline.tables.reduce(into: PipelineLoader.reservedNames(pipelineName: pipeline.name)) {
            $0.formUnion(PipelineLoader.reservedNames(pipelineName: $1.name))
        }
        if pipeline.tables.contains(where: { $0.outputs.contains { $0.format == "sqlite" } }) {
            reserved.insert(DatasetteMetadata.fileName)
        }
        var names = Set<String>()
        for output in pipeline.outputs {
            let location = output.location
            func error(_ message: String) {
                collector.diagnostics.append(
                    Diagnostic.pipeline(
                        message, file: collector.file, line: location?.line ?? 1, column: location?.column ?? 1))
            }
            if output.isDirectory {
                if output.path != pipeline.outputs[0].path {
                    error("a folder output must be the only folder (\(folder))")
                }
                continue
            }
            let slash = output.path.lastIndex(of: "/")
            let directory = slash.map { String(output.path[..<$0]) } ?? "."
            let name = slash.map { String(output.path[output.path.index(after: $0)...]) } ?? output.path
            if directory != folder {
                error(
                    "every output goes straight into one folder (\(folder)), which is published at once; \(output.path) is not in it"
                )
            } else if !names.insert(name).inserted && !(output.format == "sqlite" && !pipeline.resources.isEmpty) {
                error("two outputs are named \(name)")
            } else if reserved.contains(name) || name.hasPrefix(".publica") || name.hasSuffix(".publica-tmp") {
                error("\(name) is a file the runner writes itself; name the output otherwise")
            } else if name == "datapackage.json" && output.format != "datapackage" {
                error("datapackage.json is the data package's name; name the output otherwise")
            } else if name.hasPrefix(".") {
                error("an output's name must not start with '.' (\(name))")
            }
        }
        if let problem = OutputFolder(path: folder).ownershipProblem(of: pipeline) {
            let location = pipeline.outputsLocation
            collector.diagnostics.append(
                Diagnostic.pipeline(
                    problem, file: collector.file, line: location?.line ?? 1, column: location?.column ?? 1))
        }
    }
}
