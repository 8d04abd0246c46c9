import PublicaCore

extension Diagnostic {
    /// A problem in the pipeline file `file`, at its 1-based `line` and `column` (code `pipeline`).
    public static func pipeline(_ message: String, file: String, line: Int, column: Int) -> Diagnostic {
        Diagnostic("pipeline", message, at: SourceLocation(file: file, line: line, column: column))
    }
}

/// Every problem found in a pipeline file (exit 64), each a ``Diagnostic`` at its line and column.
public struct PipelineProblems: Error, Sendable, CustomStringConvertible {
    /// Every problem found, at least one.
    public var diagnostics: [Diagnostic]
    /// One compiler-style line per problem.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }

    /// The problems `diagnostics` (at least one).
    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
}
