import ArgumentParser
import PublicaCore

#if canImport(Glibc)
import Glibc
#endif

/// The `publica` command: turns government CSV, XML and bulletins into validated open data.
public struct PublicaCommand: AsyncParsableCommand {
    /// The command's name, help text (with every exit code) and subcommands: `run`, `check`,
    /// `test`, `convert`, `validate`, `infer`, `diff`.
    public static let configuration = CommandConfiguration(
        commandName: "publica",
        abstract: "Turn government CSV, XML, Excel (.xlsx) and bulletin text into clean, validated open data.",
        discussion: """
            Exit codes: 0 success; 1 I/O or internal failure; 3 published with rejected records; \
            4 quality gate failed; 64 usage or pipeline-file error; 65 input data error; 75 another run holds the lock; \
            129, 130, 143 stopped by SIGHUP, SIGINT, SIGTERM; 141 standard output closed (SIGPIPE). See the README.
            """,
        version: PublicaVersion.current,
        subcommands: [Run.self, Check.self, Test.self, Convert.self, Validate.self, Infer.self, Diff.self]
    )

    /// Required by ArgumentParser, which makes the command as it parses; the executable calls
    /// ``runCommandLine()`` instead.
    public init() {}

    /// Runs the command line; a mistyped command gets a did-you-mean (exit 64) rather than
    /// ArgumentParser's "unexpected arguments", and so does `publica help` of one.
    public static func runCommandLine() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let problem = unknownCommand(in: arguments) {
            printError("publica: error: \(problem)")
            Glibc.exit(ExitStatus.usage.rawValue)
        }
        CheckedOutput.checkStandardIOAtExit()
        await main(arguments)
    }

    static let commandNames = ["run", "check", "test", "convert", "validate", "infer", "diff"]

    static func unknownCommand(in arguments: [String]) -> String? {
        guard var word = arguments.first, !word.hasPrefix("-") else { return nil }
        if word == "help" {
            guard let next = arguments.dropFirst().first, !next.hasPrefix("-") else { return nil }
            word = next
        }
        guard !commandNames.contains(word) else { return nil }
        let hint = suggestion(for: word, among: commandNames).map { "; did you mean '\($0)'?" } ?? ""
        return "unknown command '\(word)' (commands: \(commandNames.joined(separator: ", ")))\(hint)"
    }
}
