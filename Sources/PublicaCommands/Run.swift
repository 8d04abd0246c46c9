import ArgumentParser
import PublicaCore
import PublicaPipeline

/// `publica run PIPELINE.yaml`: runs a pipeline file, safely from cron.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a pipeline file: sources through steps into outputs, published all at once.",
        discussion: """
            One run at a time per output folder (a second exits 75, or waits with --wait). Outputs are written \
            into a staging folder and swapped in at once: a failed or killed run leaves the previous ones. \
            Unchanged inputs, pipeline and schema mean "nothing to do" (exit 0). Beside the outputs: \
            run-report.json and <name>.rejects.ndjson.
            """
    )

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    @Flag(help: "Print the first records (--limit) as NDJSON and write nothing.")
    var dryRun = false

    @Option(help: "With --dry-run: how many records to print (default 10).")
    var limit: Int?

    @Flag(help: "Run even if nothing changed since the last run.")
    var fullRefresh = false

    @Option(
        help: ArgumentHelp(
            "The memory a run may use; sort, aggregate, pivot, dedupe, joins, foreign keys and the unique and primary-key checks of cast and validate share what its buffers leave, and spill to temporary files past it.",
            valueName: "size"))
    var memory = "256MiB"

    @OptionGroup var logging: LogOptions

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Flag(help: "Wait for another run of this pipeline to finish instead of exiting 75.")
    var wait = false

    @Flag(help: "Publish even if a source's columns changed since the last published run (on_schema_change).")
    var acceptSchemaChange = false

    @Option(
        help: ArgumentHelp(
            "Read the remote sources from the responses a run kept (keep_raw: true) in this folder (its output folder, or the raw/ folder in it) instead of fetching them.",
            valueName: "dir"))
    var replay: String?

    @Flag(help: "Go on after the last page a failed run of today fetched, instead of fetching every page again.")
    var resume = false

    func run() throws {
        Termination.catchSignals()
        // Every message of the run, errors included, goes through one log in the chosen format.
        try runReportingErrors(logging, quiet: quiet) { log in
            if limit != nil && !dryRun {
                throw PublicaError(.usage, "--limit applies to --dry-run only (a run always publishes every record)")
            }
            guard let budget = ReadLimits.parseSize(memory), budget > 0 else {
                throw PublicaError(.usage, "--memory takes a size such as 256MiB, 1GiB or a number of bytes")
            }
            var loader = PipelineLoader()
            loader.replaying = replay != nil
            let loaded = try loader.load(path: pipeline)
            // Once the file is read, every error names its pipeline, as the run's other events do.
            log.pipeline = loaded.name
            var options = PipelineRunner.Options()
            options.dryRun = dryRun
            options.limit = dryRun ? (limit ?? 10) : nil
            options.fullRefresh = fullRefresh
            options.wait = wait
            options.replay = replay
            options.resume = resume
            options.acceptsSchemaChange = acceptSchemaChange
            options.memory = MemoryBudget(bytes: budget)
            options.log = log.runLog
            let status = try PipelineRunner(pipeline: loaded, options: options).run()
            if status != .success { throw ExitCode(status.rawValue) }
        }
    }
}

/// The sources' headers and the steps' fields: a problem there is a pipeline-file problem,
/// reported as the loader's are (`file:line:column: error: message`).
private func checkShapes(_ pipeline: Pipeline) throws {
    do {
        try PipelineRunner(pipeline: pipeline).checkShapes()
    } catch let error as PublicaError where error.kind == .usage {
        let location = error.location
        throw PipelineProblems(diagnostics: [
            .pipeline(
                error.message, file: location?.file ?? pipeline.file, line: location?.line ?? 1,
                column: location?.column ?? 1)
        ])
    }
}

/// `publica check PIPELINE.yaml`: every problem in a pipeline file, with line and column.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a pipeline file without running it: every problem as file:line:column: error: message.")

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    @OptionGroup var logging: LogOptions

    func run() throws {
        try runReportingErrors(logging) { log in
            do {
                let loaded = try PipelineLoader().load(path: pipeline)
                try checkShapes(loaded)
                let steps = loaded.tables.reduce(0) { $0 + $1.steps.count }
                let resources = loaded.resources.isEmpty ? "" : "\(loaded.resources.count) resources, "
                try CheckedOutput.printLine(
                    "\(pipeline): ok (\(resources)\(loaded.sources.count) sources, \(steps) steps, "
                        + "\(loaded.outputs.count) outputs)")
            } catch let problems as PipelineProblems {
                // The report is the command's output, in either log format; a JSON log has them too.
                try CheckedOutput.printLine(problems.description)
                log.problems(problems, shownOnStandardOutput: true)
                throw ExitCode(ExitStatus.usage.rawValue)
            }
        }
    }
}

/// `publica test PIPELINE.yaml`: the pipeline's fixture cases, each run into a temporary folder
/// and compared with its expected files.
struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Run a pipeline's fixture cases (tests/<case>/ beside it) and compare the outputs; exit 1 on a difference.")

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    @Option(
        help: ArgumentHelp(
            "Copy each case's output folder into this folder (as <dir>/<case>/) instead of removing it.",
            valueName: "dir"))
    var keepOutputs: String?

    @OptionGroup var logging: LogOptions

    func run() throws {
        Termination.catchSignals()
        try runReportingErrors(logging) { _ in
            var tester = PipelineTester(path: pipeline)
            tester.keptOutputs = keepOutputs
            let cases = tester.cases()
            guard !cases.isEmpty else {
                throw PublicaError(
                    .usage, "\(pipeline) has no test cases (tests/<case>/ with inputs/ and expected/ beside it)")
            }
            var failed = 0
            for folder in cases {
                let result = try tester.runCase(folder)
                if result.passed {
                    try CheckedOutput.printLine("ok   \(result.name) (exit \(result.status.rawValue))")
                } else {
                    failed += 1
                    try CheckedOutput.printLine("FAIL \(result.name) (exit \(result.status.rawValue))")
                    for failure in result.failures { try CheckedOutput.printLine(failure) }
                }
            }
            try CheckedOutput.printLine("\(pipeline): \(cases.count - failed) of \(cases.count) cases passed")
            if failed > 0 { throw ExitCode(1) }
        }
    }
}
