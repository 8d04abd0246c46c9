import PublicaCore

/// A problem in a pipeline file, at its line and column, compiler style.
public struct PipelineDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "\(file):\(line):\(column): error: \(message)" }
}

/// Every problem found in a pipeline file (exit 64).
public struct PipelineProblems: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [PipelineDiagnostic]
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

