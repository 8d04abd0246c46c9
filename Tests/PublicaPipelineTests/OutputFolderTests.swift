import Foundation
import PublicaCore
import PublicaPipeline
import PublicaTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Every file under `root` with its bytes, to prove a refused run touched nothing.
func snapshot(_ root: String) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: root)
    while let relative = enumerator?.nextObject() as? String {
        var isDirectory: ObjCBool = false
        let path = root + "/" + relative
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            files[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
        }
    }
    return files
}

/// The diagnostics of loading `path`, or [] when it loads.
func diagnostics(_ path: String, environment: [String: String] = [:]) -> [String] {
    do {
        _ = try PipelineLoader(environment: environment).load(path: path)
        return []
    } catch let problems as PipelineProblems {
        return problems.diagnostics.map(\.description)
    } catch {
        return ["\(error)"]
    }
}

func runPipeline(_ path: String, environment: [String: String] = [:], fullRefresh: Bool = false) throws
    -> PublicaCore.ExitStatus
{
    var options = PipelineRunner.Options()
    options.log = RunLog(quiet: true)
    options.fullRefresh = fullRefresh
    return try PipelineRunner(pipeline: try PipelineLoader(environment: environment).load(path: path), options: options)
        .run()
}

func pipelineFile(name: String = "p", source: String = "data.csv", steps: String = "", outputs: [String]) -> String {
    """
    version: 1
    name: \(name)
    sources:
      s: {path: \(source)}
    \(steps.isEmpty ? "" : "steps:\n  - " + steps)
    outputs:
    \(outputs.map { "  - {path: \"\($0)\"}" }.joined(separator: "\n"))
    """
}

struct OutputFolderTests {
    @Test func anOutputBesideThePipelineFileIsRefusedAndNothingIsTouched() throws {
        let directory = try TemporaryDirectory()
        try "a,b\n1,2\n".write(toFile: directory.path("data.csv"), atomically: false, encoding: .utf8)
        try "notes\n".write(toFile: directory.path("notes.txt"), atomically: false, encoding: .utf8)
        try pipelineFile(outputs: ["out.csv"]).write(
            toFile: directory.path("pipeline.yaml"), atomically: false, encoding: .utf8)
        let before = try snapshot(directory.url.path)
        let found = diagnostics(directory.path("pipeline.yaml"))
        #expect(found.count == 1)
        #expect(found.first?.contains("pipeline.yaml:7:3: error: the output folder") == true)
        #expect(found.first?.contains("holds") == true)
        #expect(throws: PipelineProblems.self) { try runPipeline(directory.path("pipeline.yaml")) }
        #expect(try snapshot(directory.url.path) == before)
    }

    @Test func aSharedFolderWithOtherFilesIsRefused() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path("shared/sub"), withIntermediateDirectories: true)
        try "a,b\n1,2\n".write(toFile: directory.path("data.csv"), atomically: false, encoding: .utf8)
        try "keep\n".write(toFile: directory.path("shared/mine.txt"), atomically: false, encoding: .utf8)
        try "keep\n".write(toFile: directory.path("shared/sub/deep.txt"), atomically: false, encoding: .utf8)
        let absolute = directory.path("shared/out.csv")
        try pipelineFile(outputs: [absolute]).write(
            toFile: directory.path("p.yaml"), atomically: false, encoding: .utf8)
        let before = try snapshot(directory.url.path)
        let found = diagnostics(directory.path("p.yaml"))
        #expect(found.count == 1 && found[0].contains("holds files Publica did not write (mine.txt, sub)"))
        #expect(try snapshot(directory.url.path) == before)
    }

    @Test func twoPipelinesCannotShareAFolder() throws {
        let directory = try TemporaryDirectory()
        try "a,b\n1,2\n".write(toFile: directory.path("data.csv"), atomically: false, encoding: .utf8)
        try pipelineFile(name: "one", outputs: ["out/one.csv"]).write(
            toFile: directory.path("one.yaml"), atomically: false, encoding: .utf8)
        try pipelineFile(name: "two", outputs: ["out/two.csv"]).write(
            toFile: directory.path("two.yaml"), atomically: false, encoding: .utf8)
        #expect(try runPipeline(directory.path("one.yaml")) == .success)
        let published = try snapshot(directory.path("out"))
        #expect(
            published.keys.sorted() == [
                ".publica-state.json", "dcat.jsonld", "one.csv", "run-report.html", "run-report.json"
            ])
        let found = diagnostics(directory.path("two.yaml"))
        #expect(found.count == 1 && found[0].contains("belongs to another pipeline"))
        #expect(try snapshot(directory.path("out")) == published)
        // The folder's own pipeline runs again as before.
        #expect(try runPipeline(directory.path("one.yaml"), fullRefresh: true) == .success)
    }

    @Test func aFileAddedToTheFolderStopsTheNextRun() throws {
        let directory = try TemporaryDirectory()
        try "a,b\n1,2\n".write(toFile: directory.path("data.csv"), atomically: false, encoding: .utf8)
        try pipelineFile(outputs: ["out/a.csv", "out/datapackage.json"]).write(
            toFile: directory.path("p.yaml"), atomically: false, encoding: .utf8)
        #expect(try runPipeline(directory.path("p.yaml")) == .success)
        try "mine\n".write(toFile: directory.path("out/README.txt"), atomically: false, encoding: .utf8)
        #expect(throws: PipelineProblems.self) { try runPipeline(directory.path("p.yaml"), fullRefresh: true) }
        #expect(try String(contentsOfFile: directory.path("out/README.txt"), encoding: .utf8) == "mine\n")
    }

    /// A folder put under a published name while a run works is not deleted with the old outputs:
    /// the old folder is kept beside the new one, with what was put into it.
    // The limit guards against a hang only (a FIFO whose writer never comes).
    @Test(.timeLimit(.minutes(10))) func aFolderPutUnderAPublishedNameDuringARunIsKept() throws {
        let directory = try TemporaryDirectory()
        try "a,b\n1,2\n".write(toFile: directory.path("data.csv"), atomically: false, encoding: .utf8)
        try pipelineFile(outputs: ["out/a.csv"]).write(
            toFile: directory.path("p.yaml"), atomically: false, encoding: .utf8)
        #expect(try runPipeline(directory.path("p.yaml")) == .success)
        // The next run reads a FIFO: once it is reading (the folder checked), a.csv becomes someone's folder.
        let fifo = directory.path("data.csv")
        unlink(fifo)
        #expect(mkfifo(fifo, 0o600) == 0)
        let published = directory.path("out/a.csv")
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            unlink(published)
            mkdir(published, 0o755)
            _ = try? "mine\n".write(toFile: published + "/mine.txt", atomically: false, encoding: .utf8)
            _ = Array("a,b\n3,4\n".utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        writer.start()
        #expect(try runPipeline(directory.path("p.yaml")) == .success)
        let kept = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter {
            $0.hasPrefix(".out.publica-kept-")
        }
        #expect(kept.count == 1, "\(kept)")
        if let kept = kept.first {
            #expect(
                try String(contentsOfFile: directory.path(kept + "/a.csv/mine.txt"), encoding: .utf8) == "mine\n")
        }
        #expect(try String(contentsOfFile: published, encoding: .utf8).contains("3,4"))
    }

    @Test func outputsThatCollideAreErrorsAtTheirPlace() throws {
        let directory = try TemporaryDirectory()
        try "a,b\n1,2\n".write(toFile: directory.path("data.csv"), atomically: false, encoding: .utf8)
        let outputs = [
            "out/a.csv", "out/sub/a.csv", "out/a.csv", "out/run-report.json", "out/.publica-state.json",
            "out/p.rejects.ndjson", "out/datapackage.json"
        ]
        try pipelineFile(outputs: outputs).write(toFile: directory.path("p.yaml"), atomically: false, encoding: .utf8)
        let found = diagnostics(directory.path("p.yaml"))
        #expect(found.count == 5, "\(found)")
        #expect(found.contains { $0.contains("p.yaml:8:12: error: every output goes straight into one folder") })
        #expect(found.contains { $0.contains("p.yaml:9:12: error: two outputs are named a.csv") })
        #expect(
            found.contains { $0.contains("p.yaml:10:12: error: run-report.json is a file the runner writes itself") })
        #expect(
            found.contains {
                $0.contains("p.yaml:11:12: error: .publica-state.json is a file the runner writes itself")
            })
        #expect(
            found.contains { $0.contains("p.yaml:12:12: error: p.rejects.ndjson is a file the runner writes itself") })
    }

    @Test func namesAndVariablesCannotLeaveTheFolder() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path("p/q"), withIntermediateDirectories: true)
        try "a,b\n1,2\n".write(toFile: directory.path("p/q/data.csv"), atomically: false, encoding: .utf8)
        try pipelineFile(name: "../../escape", outputs: ["${NOPE}/data/out.csv"])
            .write(toFile: directory.path("p/q/p.yaml"), atomically: false, encoding: .utf8)
        let found = diagnostics(directory.path("p/q/p.yaml"))
        #expect(
            found.contains {
                $0.hasSuffix(
                    "p.yaml:2:7: error: the pipeline name '../../escape' must be a plain file name (no '/', not starting with '.'): it names the rejects file"
                )
            })
        #expect(
            found.contains {
                $0.contains(
                    "p.yaml:7:12: error: environment variable NOPE is not set or empty (write ${NOPE:-default} to give a default)"
                )
            })
        // With a default, or the variable set, it loads.
        try pipelineFile(outputs: ["${OUT:-out}/out.csv"]).write(
            toFile: directory.path("p/q/p.yaml"), atomically: false, encoding: .utf8)
        #expect(diagnostics(directory.path("p/q/p.yaml")).isEmpty)
        #expect(diagnostics(directory.path("p/q/p.yaml"), environment: ["OUT": directory.path("elsewhere")]).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: directory.path("escape.rejects.ndjson")))
    }

    @Test func aVariablesValueCannotMoveAnOutput() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path("p/q"), withIntermediateDirectories: true)
        try "a,b\n1,2\n".write(toFile: directory.path("p/q/data.csv"), atomically: false, encoding: .utf8)
        try pipelineFile(outputs: ["out/${X}.csv"]).write(
            toFile: directory.path("p/q/p.yaml"), atomically: false, encoding: .utf8)
        let before = try snapshot(directory.url.path)
        let environment = ["X": "../new/x"]
        let found = diagnostics(directory.path("p/q/p.yaml"), environment: environment)
        #expect(
            found == [
                directory.path("p/q/p.yaml")
                    + ":7:12: error: environment variable X is '../new/x', which cannot go inside an output path: a value "
                    + "there must stay within one name (no '/', not '.' or '..'); only a variable at the very start of "
                    + "the path may choose the folder"
            ], "\(found)")
        #expect(throws: PipelineProblems.self) {
            try runPipeline(directory.path("p/q/p.yaml"), environment: environment)
        }
        #expect(try snapshot(directory.url.path) == before)
        for folder in ["p/q/new", "p/q/out", "p/new", "new"] {
            #expect(!FileManager.default.fileExists(atPath: directory.path(folder)), "\(folder)")
        }
        // The same value is refused wherever it is not at the start: in a file name, as a whole
        // folder name, or as `.`/`..`; a plain value there is fine.
        let refused: [(output: String, value: String)] = [
            ("out/data-${X}.csv", "seoul/x"), ("out/${X}/data.csv", "2024/../.."), ("out/${X}/data.csv", ".."),
            ("out/${X}/data.csv", "."), ("${OUT:-out}/${X}.csv", "/etc/passwd")
        ]
        for (output, value) in refused {
            try pipelineFile(outputs: [output]).write(
                toFile: directory.path("p/q/p.yaml"), atomically: false, encoding: .utf8)
            let found = diagnostics(directory.path("p/q/p.yaml"), environment: ["X": value])
            #expect(found.count == 1, "\(output) \(value): \(found)")
            #expect(
                found.first?.contains(":7:12: error: environment variable X is '\(value)', which cannot go inside")
                    == true,
                "\(output) \(value): \(found)")
        }
        try pipelineFile(outputs: ["out/data-${X}.csv", "out/${X}.ndjson"]).write(
            toFile: directory.path("p/q/p.yaml"), atomically: false, encoding: .utf8)
        #expect(diagnostics(directory.path("p/q/p.yaml"), environment: ["X": "seoul.2024"]).isEmpty)
        #expect(try snapshot(directory.url.path).keys.sorted() == before.keys.sorted())
    }

    @Test func aVariableAtTheStartChoosesTheFolder() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path("p"), withIntermediateDirectories: true)
        try "a,b\n1,2\n".write(toFile: directory.path("p/data.csv"), atomically: false, encoding: .utf8)
        try pipelineFile(outputs: ["${OUT_DIR}/data.csv", "${OUT_DIR}/data.ndjson"]).write(
            toFile: directory.path("p/p.yaml"), atomically: false, encoding: .utf8)
        let environment = ["OUT_DIR": directory.path("srv/portal")]
        #expect(diagnostics(directory.path("p/p.yaml"), environment: environment).isEmpty)
        #expect(try runPipeline(directory.path("p/p.yaml"), environment: environment) == .success)
        #expect(try String(contentsOfFile: directory.path("srv/portal/data.csv"), encoding: .utf8).contains("1,2"))
        // A relative folder, `..` and all, as the shipped pipelines' default gives it.
        try pipelineFile(outputs: ["${PUBLICA_OUT:-../out}/p/data.csv"]).write(
            toFile: directory.path("p/p.yaml"), atomically: false, encoding: .utf8)
        #expect(diagnostics(directory.path("p/p.yaml")).isEmpty)
        #expect(diagnostics(directory.path("p/p.yaml"), environment: ["PUBLICA_OUT": "../elsewhere"]).isEmpty)
        // The folder it names still obeys the folder rules: here the pipeline's own folder.
        let found = diagnostics(directory.path("p/p.yaml"), environment: ["PUBLICA_OUT": "../p/.."])
        #expect(found.count == 1 && found.first?.contains("error: the output folder") == true, "\(found)")
    }

    @Test func aDefaultObeysTheSameRule() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path("p"), withIntermediateDirectories: true)
        try "a,b\n1,2\n".write(toFile: directory.path("p/data.csv"), atomically: false, encoding: .utf8)
        let file = directory.path("p/p.yaml")
        try pipelineFile(outputs: ["out/${X:-../new/x}.csv"]).write(toFile: file, atomically: false, encoding: .utf8)
        let before = try snapshot(directory.url.path)
        #expect(
            diagnostics(file) == [
                file
                    + ":7:12: error: the default of environment variable X is '../new/x', which cannot go inside an "
                    + "output path: a value there must stay within one name (no '/', not '.' or '..'); only a "
                    + "variable at the very start of the path may choose the folder"
            ])
        #expect(throws: PipelineProblems.self) { try runPipeline(file) }
        #expect(try snapshot(directory.url.path) == before)
        #expect(!FileManager.default.fileExists(atPath: directory.path("p/new")))
        // A value in the environment is held to the rule in place of a good default.
        try pipelineFile(outputs: ["out/${X:-x}.csv"]).write(toFile: file, atomically: false, encoding: .utf8)
        #expect(diagnostics(file).isEmpty)
        #expect(diagnostics(file, environment: ["X": "a/b"]).first?.contains("environment variable X is 'a/b'") == true)
        // An empty default where the variable is a whole name would drop it: `/data/out.csv`.
        for output in ["${X:-}/data/out.csv", "out/${X:-}/out.csv", "out/${X:-}"] {
            try pipelineFile(outputs: [output]).write(toFile: file, atomically: false, encoding: .utf8)
            #expect(
                diagnostics(file) == [
                    file
                        + ":7:12: error: the default of environment variable X is empty, which would leave an empty "
                        + "name in the output path; give it one that is not empty"
                ], "\(output)")
        }
        // Inside a name an empty default is fine.
        try pipelineFile(outputs: ["out/data${SUFFIX:-}.csv"]).write(toFile: file, atomically: false, encoding: .utf8)
        #expect(diagnostics(file).isEmpty)
    }

    @Test func aVariableInTheNameStaysOneFileName() throws {
        let directory = try TemporaryDirectory()
        try "a,b\n1,2\n".write(toFile: directory.path("data.csv"), atomically: false, encoding: .utf8)
        let file = directory.path("p.yaml")
        try pipelineFile(name: "${N}", outputs: ["out/a.csv"]).write(toFile: file, atomically: false, encoding: .utf8)
        #expect(
            diagnostics(file, environment: ["N": "../../escape"]) == [
                file
                    + ":2:7: error: environment variable N is '../../escape', which cannot go into the pipeline name: it "
                    + "names the rejects file, so a value must stay within one file name (no '/', not '.' or '..')"
            ])
        #expect(diagnostics(file, environment: ["N": "daily"]).isEmpty)
        try pipelineFile(name: "${N:-..}", outputs: ["out/a.csv"]).write(
            toFile: file, atomically: false, encoding: .utf8)
        #expect(diagnostics(file).first?.contains("the default of environment variable N is '..'") == true)
    }

    @Test func stepsThatWouldRepeatAFieldNameFailAtTheirPlace() throws {
        let directory = try TemporaryDirectory()
        try "id,a\n1,2\n".write(toFile: directory.path("data.csv"), atomically: false, encoding: .utf8)
        for step in ["rename: {a: id}", "derive: {id: {value: x}}", "rename: {a: \"\"}"] {
            try pipelineFile(steps: step, outputs: ["out/a.ndjson"]).write(
                toFile: directory.path("p.yaml"), atomically: false, encoding: .utf8)
            do {
                _ = try runPipeline(directory.path("p.yaml"))
                Issue.record("\(step) ran")
            } catch let error as PublicaError {
                #expect(error.kind.exitStatus == .usage)
                #expect(error.location?.line == 6 && error.location?.column == 5, "\(error)")
                #expect(
                    error.message.contains("would be named 'id'") || error.message.contains("blank name"), "\(error)")
            }
            #expect(!FileManager.default.fileExists(atPath: directory.path("out/a.ndjson")))
        }
    }

    @Test func nothingToDoCoversTheEnvironmentAndThePublishedFiles() throws {
        let directory = try TemporaryDirectory()
        try "id\n1\n".write(toFile: directory.path("data.csv"), atomically: false, encoding: .utf8)
        try pipelineFile(steps: "derive: {tag: {value: \"${TAG}\"}}", outputs: ["out/a.ndjson"])
            .write(toFile: directory.path("p.yaml"), atomically: false, encoding: .utf8)
        let path = directory.path("p.yaml")
        func published() throws -> String {
            try String(contentsOfFile: directory.path("out/a.ndjson"), encoding: .utf8)
        }
        func reportTime() throws -> Data {
            try Data(contentsOf: URL(fileURLWithPath: directory.path("out/run-report.json")))
        }
        #expect(try runPipeline(path, environment: ["TAG": "x"]) == .success)
        #expect(try published() == "{\"id\":\"1\",\"tag\":\"x\"}\n")
        let first = try reportTime()
        #expect(try runPipeline(path, environment: ["TAG": "x"]) == .success)
        #expect(try reportTime() == first, "nothing to do: nothing rewritten")
        #expect(try runPipeline(path, environment: ["TAG": "y"]) == .success)
        #expect(try published() == "{\"id\":\"1\",\"tag\":\"y\"}\n")
        let state = try String(contentsOfFile: directory.path("out/.publica-state.json"), encoding: .utf8)
        #expect(!state.contains("\"y\""), "environment values are kept only as a hash")

        try FileManager.default.removeItem(atPath: directory.path("out/a.ndjson"))
        #expect(try runPipeline(path, environment: ["TAG": "y"]) == .success)
        #expect(try published() == "{\"id\":\"1\",\"tag\":\"y\"}\n")
        try "{\"id\":\"9\",\"tag\":\"y\"}\n".write(
            toFile: directory.path("out/a.ndjson"), atomically: false, encoding: .utf8)
        #expect(try runPipeline(path, environment: ["TAG": "y"]) == .success)
        #expect(try published() == "{\"id\":\"1\",\"tag\":\"y\"}\n")
    }

    @Test func aFolderUnderAPublishedNameIsNotPublicas() throws {
        let directory = try TemporaryDirectory()
        try "a,b\n1,2\n".write(toFile: directory.path("data.csv"), atomically: false, encoding: .utf8)
        try pipelineFile(outputs: ["out/a.csv"]).write(
            toFile: directory.path("p.yaml"), atomically: false, encoding: .utf8)
        #expect(try runPipeline(directory.path("p.yaml")) == .success)
        try FileManager.default.removeItem(atPath: directory.path("out/a.csv"))
        try FileManager.default.createDirectory(atPath: directory.path("out/a.csv"), withIntermediateDirectories: false)
        try "mine\n".write(toFile: directory.path("out/a.csv/mine.txt"), atomically: false, encoding: .utf8)
        #expect(
            diagnostics(directory.path("p.yaml")).first?.contains("holds files Publica did not write (a.csv/)") == true)
        #expect(FileManager.default.fileExists(atPath: directory.path("out/a.csv/mine.txt")))
    }

    @Test func tablesNeedAFileOutputAndAFolderOfTheirOwn() throws {
        let directory = try TemporaryDirectory()
        try "a,b\n1,2\n".write(toFile: directory.path("data.csv"), atomically: false, encoding: .utf8)
        try pipelineFile(outputs: ["out/"]).write(toFile: directory.path("p.yaml"), atomically: false, encoding: .utf8)
        #expect(throws: PublicaError.self) { try runPipeline(directory.path("p.yaml")) }
        #expect(!FileManager.default.fileExists(atPath: directory.path("out")))
        try pipelineFile(outputs: ["/x.csv"]).write(
            toFile: directory.path("p.yaml"), atomically: false, encoding: .utf8)
        #expect(diagnostics(directory.path("p.yaml")).first?.contains("not the root folder") == true)
        try pipelineFile(outputs: ["${EMPTY}/x.csv"]).write(
            toFile: directory.path("p.yaml"), atomically: false, encoding: .utf8)
        #expect(
            diagnostics(directory.path("p.yaml"), environment: ["EMPTY": ""]).first?.contains(
                "EMPTY is not set or empty") == true)
    }
}
