import Foundation
import PublicaCore

#if canImport(Glibc)
import Glibc
#endif

/// `publica test PIPELINE.yaml`: runs the pipeline on fixture cases and compares what it writes
/// with what each case expects.
///
/// A case is a folder `tests/<case>/` beside the pipeline file (or `tests/<pipeline>/<case>/`
/// when several pipelines share a folder): `inputs/` holds files that replace sources, each
/// named after the source (version 1) or resource (version 2) it replaces, with any extension;
/// `expected/` holds the files the run must write, compared byte for byte (a file the run
/// writes that `expected/` does not name is not compared: run reports hold times). A remote
/// source (`url:`) is replaced by a fetch folder (`inputs/<source>/` with `manifest.json` and
/// the pages, as a run fetches them) or a file: nothing is fetched. An optional `environment`
/// file (`NAME=value` lines) gives the case variables the pipeline needs, such as a key it
/// never sends. Each case runs into a temporary folder, removed afterwards; the real outputs
/// are never touched.
public struct PipelineTester {
    /// One case's result.
    public struct CaseResult: Sendable {
        /// The case's folder name.
        public var name: String
        /// The run's exit status.
        public var status: ExitStatus
        /// One entry per expected file that differs or is missing, with a short diff.
        public var failures: [String]
        /// Whether the case passed.
        public var passed: Bool { failures.isEmpty }
    }

    /// The pipeline file.
    public let path: String
    /// How the runs log (quiet by default).
    public var log = RunLog(quiet: true)
    /// A folder to copy each case's output folder into (as `<folder>/<case>/`), to look at or
    /// check further (`publica test --keep-outputs`); nil removes them with the case.
    public var keptOutputs: String?

    /// A tester for the pipeline file at `path`.
    public init(path: String) { self.path = path }

    /// The case folders, sorted; empty when the pipeline has none.
    public func cases() -> [String] {
        guard let folder = casesFolder() else { return [] }
        return OutputFolder.entries(of: folder).map { "\(folder)/\($0)" }.filter { isDirectory($0 + "/expected") }
    }

    /// `tests/<pipeline>/`, else `tests/` when the pipeline is the only one in its folder (cases
    /// there would otherwise be run by every pipeline beside it).
    private func casesFolder() -> String? {
        let base = (path as NSString).deletingLastPathComponent
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let tests = (base.isEmpty ? "" : base + "/") + "tests"
        if isDirectory(tests + "/" + stem) { return tests + "/" + stem }
        let pipelines = OutputFolder.entries(of: base.isEmpty ? "." : base).filter {
            $0.hasSuffix(".yaml") || $0.hasSuffix(".yml")
        }
        return pipelines.count == 1 && isDirectory(tests) ? tests : nil
    }

    /// Runs every case.
    public func run() throws -> [CaseResult] {
        try cases().map(runCase)
    }

    /// Runs the case in `folder`: its inputs in place of the sources, into a temporary folder.
    public func runCase(_ folder: String) throws -> CaseResult {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "publica-test-\(getpid())-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let environment = ProcessInfo.processInfo.environment.merging(try variables(in: folder)) { $1 }
        let pipeline = try PipelineLoader(environment: environment).load(path: path)
        let replaced = replacingInputs(pipeline, from: folder + "/inputs").relocated(to: scratch + "/out")
        var options = PipelineRunner.Options()
        options.log = log
        options.fullRefresh = true
        let status = try PipelineRunner(pipeline: replaced, options: options).run()
        if let keptOutputs { try keep(scratch + "/out", as: (folder as NSString).lastPathComponent, in: keptOutputs) }
        let expected = folder + "/expected"
        let failures = OutputFolder.entries(of: expected).compactMap { name in
            compare(expected + "/" + name, scratch + "/out/" + name, name: name)
        }
        return CaseResult(name: (folder as NSString).lastPathComponent, status: status, failures: failures)
    }

    /// What marks a folder `--keep-outputs` made: only such a folder is replaced.
    static let keptMark = ".publica-test-outputs"

    /// Copies a case's outputs to `<folder>/<name>`, replacing only a folder this made before
    /// (a real folder holding ``keptMark``): never a case, an input or anything else found there.
    private func keep(_ outputs: String, as name: String, in folder: String) throws {
        let kept = folder + "/" + name
        var info = stat()
        if lstat(kept, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR, lstat(kept + "/" + PipelineTester.keptMark, &info) == 0 else {
                throw PublicaError(
                    .usage,
                    "\(kept) exists and is not a folder publica test --keep-outputs made; name another folder",
                    at: SourceLocation(file: kept))
            }
            try FileManager.default.removeItem(atPath: kept)
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let staging = folder + "/.\(name).publica-keeping-\(getpid())"
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.copyItem(atPath: outputs, toPath: staging)
        FileManager.default.createFile(atPath: staging + "/" + PipelineTester.keptMark, contents: Data())
        guard rename(staging, kept) == 0 else {
            let failure = PublicaError.system(errno, "cannot keep the outputs", path: kept)
            try? FileManager.default.removeItem(atPath: staging)
            throw failure
        }
    }

    /// The pipeline with each source that `inputs` has a file for (by the source's or resource's
    /// name) read from that file instead.
    private func replacingInputs(_ pipeline: Pipeline, from inputs: String) -> Pipeline {
        let files = OutputFolder.entries(of: inputs)
        func replacement(_ name: String) -> String? {
            files.first { ($0 as NSString).deletingPathExtension == name }.map { inputs + "/" + $0 }
        }
        var pipeline = pipeline
        for index in pipeline.sources.indices {
            if let file = replacement(pipeline.sources[index].name) { replace(&pipeline.sources[index], with: file) }
        }
        for index in pipeline.resources.indices {
            guard let file = replacement(pipeline.resources[index].name) else { continue }
            for source in pipeline.resources[index].sources.indices {
                replace(&pipeline.resources[index].sources[source], with: file)
            }
        }
        if !pipeline.resources.isEmpty { pipeline.sources = pipeline.resources.flatMap(\.sources) }
        return pipeline
    }

    /// A source read from `file` instead; a remote one is not fetched, and reads a fetch folder
    /// as one, a file by its extension.
    private func replace(_ source: inout Pipeline.Source, with file: String) {
        source.path = file
        guard source.remote != nil else { return }
        source.remote = nil
        source.format = isDirectory(file) ? "fetched" : Formats.sources.format(forPath: file) ?? source.format
    }

    /// The case's `environment` file: `NAME=value` lines (blank lines and `#` comments skipped).
    private func variables(in folder: String) throws -> [String: String] {
        let path = folder + "/environment"
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        var variables: [String: String] = [:]
        for (number, line) in try String(contentsOfFile: path, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false
        ).enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw PublicaError(
                    .usage, "an environment line is NAME=value", at: SourceLocation(file: path, line: number + 1))
            }
            variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        return variables
    }

    /// Nil when the files are equal; else what differs: the first lines that do.
    private func compare(_ expected: String, _ actual: String, name: String) -> String? {
        guard let want = FileManager.default.contents(atPath: expected) else { return nil }
        guard let got = FileManager.default.contents(atPath: actual) else {
            return "\(name): expected, but the run did not write it"
        }
        guard want != got else { return nil }
        // "\r\n" is one Character in Swift: CSV lines end in it.
        func lines(_ data: Data) -> [Substring] {
            String(decoding: data, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        }
        let wanted = lines(want)
        let written = lines(got)
        var lines = ["\(name): differs (- expected, + written)"]
        var shown = 0
        for index in 0..<max(wanted.count, written.count) where shown < 10 {
            let left = index < wanted.count ? String(wanted[index]) : nil
            let right = index < written.count ? String(written[index]) : nil
            guard left != right else { continue }
            shown += 1
            lines.append("  line \(index + 1):")
            if let left { lines.append("  - \(left)") }
            if let right { lines.append("  + \(right)") }
        }
        return lines.joined(separator: "\n")
    }

    private func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }
}

extension Pipeline {
    /// The pipeline with its outputs (and its resources') moved into `folder`, by file name.
    public func relocated(to folder: String) -> Pipeline {
        var moved = self
        moved.outputs = outputs.map { $0.moved(to: folder) }
        moved.resources = resources.map { $0.relocated(to: folder) }
        return moved
    }
}

extension Pipeline.Output {
    func moved(to folder: String) -> Pipeline.Output {
        var moved = self
        moved.path =
            isDirectory ? folder + "/" : folder + "/" + (path.split(separator: "/").last.map(String.init) ?? path)
        return moved
    }
}
