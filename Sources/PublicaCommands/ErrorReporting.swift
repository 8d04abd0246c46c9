import ArgumentParser
import PublicaCore
import PublicaPipeline

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one line to standard error, all of it (a NUL byte in a message does not cut it short);
/// only for what is said before a command's options are parsed (an unknown command).
func printError(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

/// `--log-format`, the same for every command.
struct LogOptions: ParsableArguments {
    @Option(help: "Log lines: text or json.", completion: .list(["text", "json"]))
    var logFormat: String = "text"
}

/// The one log of a command: every message it writes to standard error (errors with their exit
/// code and location, warnings, hints, summaries) goes through it, in the chosen format.
final class CommandLog {
    /// The log itself, for what takes a ``RunLog`` (a pipeline run).
    let runLog: RunLog
    /// The pipeline's name once its file is read: every error after that names it.
    var pipeline: String?

    init(_ runLog: RunLog) {
        self.runLog = runLog
    }

    /// The log's format.
    var format: RunLog.Format { runLog.format }

    /// What a command did (a summary); a text log prints `line` as it is.
    func info(_ message: String, _ fields: [(String, FieldValue)] = [], line: String) {
        runLog.info(message, named(fields), line: line)
    }

    /// A hint (`hint: …`, as ``HeaderHint`` words it): a warning, told as `publica: hint: …` in text.
    func hint(_ hint: String) {
        let message = hint.hasPrefix("hint: ") ? String(hint.dropFirst("hint: ".count)) : hint
        runLog.warning(message, named([]), line: "publica: hint: " + message)
    }

    /// An error: its message, exit code and location (in text, `publica: LOCATION: error: …`).
    func error(_ error: PublicaError) {
        var fields: [(String, FieldValue)] = [("exitCode", .integer(Int64(error.exitStatus.rawValue)))]
        if let location = error.location { fields.append(("location", .text(location.description))) }
        runLog.error(error.message, named(fields), line: "publica: " + error.description)
    }

    /// Every problem of a pipeline file, one error each with its file, line and column (exit 64).
    /// With `shownOnStandardOutput` (`check`'s report has them), a text log leaves them out.
    func problems(_ problems: PipelineProblems, shownOnStandardOutput: Bool = false) {
        if shownOnStandardOutput && format == .text { return }
        for diagnostic in problems.diagnostics {
            runLog.error(
                diagnostic.message,
                named([
                    ("exitCode", .integer(Int64(ExitStatus.usage.rawValue))),
                    ("file", .text(diagnostic.location?.file ?? "")),
                    ("line", .integer(Int64(diagnostic.location?.line ?? 1))),
                    ("column", .integer(Int64(diagnostic.location?.column ?? 1)))
                ]), line: diagnostic.description)
        }
    }

    /// `fields` with the pipeline's name, once it is known.
    private func named(_ fields: [(String, FieldValue)]) -> [(String, FieldValue)] {
        guard let pipeline else { return fields }
        return fields + [("pipeline", .text(pipeline))]
    }
}

/// Runs a command's `body` with the command's one log in the `--log-format` it asks for (`quiet`:
/// errors only); a ``PublicaError`` or a pipeline file's problems are logged and end the command
/// with their documented exit code. Every command's `run()` is this call.
func runReportingErrors(_ options: LogOptions, quiet: Bool = false, _ body: (CommandLog) throws -> Void) throws {
    guard let format = RunLog.Format(rawValue: options.logFormat) else {
        // The format asked for is not known: said in text.
        let error = PublicaError(.usage, "--log-format must be text or json")
        CommandLog(RunLog()).error(error)
        throw ExitCode(error.exitStatus.rawValue)
    }
    let log = CommandLog(RunLog(format: format, quiet: quiet))
    do {
        try body(log)
    } catch let error as PublicaError {
        log.error(error)
        throw ExitCode(error.exitStatus.rawValue)
    } catch let problems as PipelineProblems {
        log.problems(problems)
        throw ExitCode(ExitStatus.usage.rawValue)
    }
}
