import PublicaCore

/// A problem in a pipeline file, at its line and column, compiler style.
public struct PipelineDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// The pipeline file the problem is in, as it was named to the loader.
    public var file: String
    /// The problem's 1-based line.
    public var line: Int
    /// The problem's 1-based column.
    public var column: Int
    /// What is wrong, and where it helps, what to write instead (a did-you-mean).
    public var message: String

    /// `file:line:column: error: message`, the form editors and CI logs link to its place.
    public var description: String { "\(file):\(line):\(column): error: \(message)" }
}

/// Every problem found in a pipeline file (exit 64).
public struct PipelineProblems: Error, Sendable, CustomStringConvertible {
    /// Every problem found, at least one.
    public var diagnostics: [PipelineDiagnostic]
    /// One compiler-style line per problem.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
