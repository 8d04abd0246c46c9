internal import CPublicaSystem
import PublicaCore
import PublicaIngest

#if canImport(Glibc)
import Glibc
#endif

/// A pipeline's output folder, and the rule that keeps a run from replacing what it does not own.
///
/// The folder is Publica's: a run publishes by swapping a whole new folder in, so it must hold
/// nothing but what this pipeline's runs wrote. Publishing is refused (exit 64, and
/// `publica check` says why) when the folder
/// - holds the pipeline file, its schema or an input;
/// - exists and holds anything the last run of this pipeline did not publish (it lists its files
///   in `.publica-state.json`), or a state written by another pipeline file;
/// - is a symbolic link, a mount point, or not a folder.
/// A folder that does not exist yet, or is empty, is fine: the first run creates and marks it.
public struct OutputFolder: Sendable {
    /// The folder's path, as ``Pipeline/outputDirectory`` gives it (no trailing `/`).
    public let path: String

    /// The runner's own files, in every output folder.
    public static let stateName = ".publica-state.json"
    /// The run report each published run leaves: inputs, per-step counts, outputs, exit code.
    public static let reportName = "run-report.json"

    /// The output folder at `path`; nothing is read until asked.
    public init(path: String) {
        self.path = path
    }

    /// The state the last published run left, if any.
    public func state() -> FieldValue? {
        try? JSONDocument.read(path: path + "/" + OutputFolder.stateName)
    }

    /// Why a run of `pipeline` may not publish into this folder, or nil when it may.
    public func ownershipProblem(of pipeline: Pipeline) -> String? {
        if let inside = ownedInputs(of: pipeline).first(where: { PathNormalization.isInside($0, path) }) {
            return
                "the output folder \(path) holds \(inside); every run replaces the whole folder, so give the outputs "
                + "a folder of their own (e.g. ../out/\(pipeline.name)/)"
        }
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }  // created by the first run
        switch info.st_mode & S_IFMT {
        case S_IFDIR: break
        case S_IFLNK: return "the output folder \(path) is a symbolic link; name the folder it points to"
        default: return "the output folder \(path) exists and is not a folder"
        }
        // Another device than its parent's, or (statx can tell) a bind mount of a folder of the same one.
        var parentInfo = stat()
        if (stat(path + "/..", &parentInfo) == 0 && parentInfo.st_dev != info.st_dev)
            || publica_is_mount_root(path) == 1
        {
            return
                "the output folder \(path) is a mount point, which cannot be swapped at once; publish into a folder inside it"
        }
        let entries = OutputFolder.entries(of: path)
        guard !entries.isEmpty else { return nil }
        guard let state = state() else {
            return
                "the output folder \(path) holds files Publica did not write (\(OutputFolder.list(entries))); every run "
                + "replaces the whole folder: move them, or give the outputs a folder of their own"
        }
        if let owner = state["pipeline"]?.string, owner != PathNormalization.absolute(pipeline.file) {
            return
                "the output folder \(path) belongs to another pipeline (\(owner)); two pipelines cannot share a folder"
        }
        // A state from before it named its pipeline file: the report's pipeline name must match.
        if state["pipeline"] == nil,
            let owner = (try? JSONDocument.read(path: path + "/" + OutputFolder.reportName))?["pipeline"]?.string,
            owner != pipeline.name
        {
            return
                "the output folder \(path) belongs to another pipeline (\(owner)); two pipelines cannot share a folder"
        }
        let published = Set(OutputFolder.publishedNames(state: state, folder: path))
        // Publica publishes regular files only: a folder or link under a published name is someone else's.
        let foreign = entries.filter { name in
            var info = stat()
            return !published.contains(name) || lstat(path + "/" + name, &info) != 0 || info.st_mode & S_IFMT != S_IFREG
        }
        guard foreign.isEmpty else {
            return
                "the output folder \(path) holds files Publica did not write (\(OutputFolder.list(foreign))); every run "
                + "replaces the whole folder: move them, or give the outputs a folder of their own"
        }
        return nil
    }

    /// The files a run must never replace: the pipeline file, its schema, inputs and profiles.
    private func ownedInputs(of pipeline: Pipeline) -> [String] {
        [pipeline.file] + pipeline.sources.map(\.path) + pipeline.sources.compactMap { $0.options.extra["profile"] }
            + pipeline.tables.compactMap(\.schemaFile) + pipeline.lookupFiles
    }

    /// The names the last run published (its state lists them; a state from before that list
    /// existed is read from its report's outputs).
    static func publishedNames(state: FieldValue, folder: String) -> [String] {
        if let names = state["published"]?.items { return names.compactMap { $0["name"]?.string } }
        let report = try? JSONDocument.read(path: folder + "/" + reportName)
        let outputs =
            report?["outputs"]?.items?.compactMap { $0["path"]?.string?.split(separator: "/").last.map(String.init) }
            ?? []
        let rejects = report?["pipeline"]?.string.map { ["\($0).rejects.ndjson"] } ?? []
        return outputs + rejects + [stateName, reportName, "datapackage.json"]
    }

    /// Every entry of `folder` but `.` and `..`.
    static func entries(of folder: String) -> [String] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    private static func list(_ names: [String]) -> String {
        names.count <= 5
            ? names.joined(separator: ", ") : names.prefix(5).joined(separator: ", ") + ", and \(names.count - 5) more"
    }
}
