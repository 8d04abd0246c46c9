/// An error Publica reports to its user: what went wrong, where, and which exit code it means.
///
/// Every error that leaves a stage is a `PublicaError`, so the command line can print one
/// line `file:line:column: error: message` and exit with a documented code.
public struct PublicaError: Error, Sendable, CustomStringConvertible {
    /// The family of the error; it decides the exit code.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        public let name: String
        public let exitStatus: ExitStatus

        public init(name: String, exitStatus: ExitStatus) {
            self.name = name
            self.exitStatus = exitStatus
        }

        public var description: String { name }

        /// Reading or writing a file failed (missing, unreadable, unwritable, disk full).
        public static let io = Kind(name: "io", exitStatus: .failure)
        /// The input data is malformed and the run cannot go on.
        public static let data = Kind(name: "data", exitStatus: .dataError)
        /// Bytes that are not valid in the input's encoding.
        public static let encoding = Kind(name: "encoding", exitStatus: .dataError)
        /// The user asked for something that cannot be done (bad option or combination).
        public static let usage = Kind(name: "usage", exitStatus: .usage)
        /// A bug or an unexpected state inside Publica.
        public static let `internal` = Kind(name: "internal", exitStatus: .failure)
    }

    public var kind: Kind
    public var message: String
    public var location: SourceLocation?

    public init(_ kind: Kind, _ message: String, at location: SourceLocation? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    public var exitStatus: ExitStatus { kind.exitStatus }

    /// One line: `file:line:column: error: message`.
    public var description: String {
        if let location { return "\(location): error: \(message)" }
        return "error: \(message)"
    }
}
