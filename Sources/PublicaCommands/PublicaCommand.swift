import ArgumentParser

/// The `publica` command: turns government CSV, XML and bulletins into validated open data.
public struct PublicaCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "publica",
        abstract: "Turn government CSV, XML and bulletin text into clean, validated open data.",
        discussion: """
            Exit codes: 0 success; 1 I/O or internal failure; 3 published with rejected records; \
            4 quality gate failed; 64 usage error; 65 input data error; 75 another run holds the lock.
            """,
        version: "0.1.0",
        subcommands: [Run.self, Check.self, Convert.self, Validate.self, Infer.self]
    )

    public init() {}
}
