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
    /// The run report as a page to read in a browser, beside ``reportName``.
    public static let reportPageName = "run-report.html"

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
        // Publica publishes regular files and the folders it made for them (`raw/`): anything else
        // under a published name (a link, a folder for a file) is someone else's.
        let foreign = OutputFolder.tree(of: path) { published.contains($0) }.filter { name in
            !published.contains(name) || !OutputFolder.isKind(of: name, at: path + "/" + name)
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

    /// Every entry under `folder` by its path there, a folder's ending in `/` and listed before
    /// what it holds; links are listed, never followed, and a folder is entered only when
    /// `descend` (given its name) says so.
    static func tree(of folder: String, descend: (String) -> Bool = { _ in true }) -> [String] {
        var names: [String] = []
        func walk(_ relative: String) {
            for name in entries(of: folder + relative) {
                let path = String((relative + "/" + name).dropFirst())
                var info = stat()
                guard lstat(folder + "/" + path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                    names.append(path)
                    continue
                }
                names.append(path + "/")
                if descend(path + "/") { walk("/" + path) }
            }
        }
        walk("")
        return names
    }

    /// Whether the entry at `path` is what `name` says: a folder for a name ending in `/`, a
    /// regular file for any other (never a link).
    static func isKind(of name: String, at path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return false }
        return info.st_mode & S_IFMT == (name.hasSuffix("/") ? S_IFDIR : S_IFREG)
    }

    /// Removes from `folder` the entries of `names` (paths in it, as ``tree(of:descend:)``
    /// gives them): regular files, then the folders once empty. Nothing is followed through a
    /// link: each folder is opened by its descriptor with `O_NOFOLLOW`, a file unlinked in it.
    static func remove(_ names: Set<String>, in folder: String) {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        remove(names, in: descriptor, prefix: "")
        close(descriptor)
    }

    private static func remove(_ names: Set<String>, in descriptor: Int32, prefix: String) {
        let listing = dup(descriptor)
        guard listing >= 0 else { return }
        guard let directory = fdopendir(listing) else {
            close(listing)
            return
        }
        var entries: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { entries.append(name) }
        }
        closedir(directory)
        for name in entries {
            var info = stat()
            guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFREG where names.contains(prefix + name):
                unlinkat(descriptor, name, 0)
            case S_IFDIR where names.contains(prefix + name + "/"):
                let child = openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard child >= 0 else { continue }
                remove(names, in: child, prefix: prefix + name + "/")
                close(child)
                unlinkat(descriptor, name, AT_REMOVEDIR)  // kept if something else is in it
            default: continue
            }
        }
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
