#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error Publica reports to its user: what went wrong, where, and which exit code it means.
///
/// Every error that leaves a stage is a `PublicaError`, so the command line can print one
/// line `file:line:column: error: message` and exit with a documented code.
public struct PublicaError: Error, Sendable, CustomStringConvertible {
    /// The family of the error; it decides the exit code.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        /// The kind's name (`io`, `data`, `usage`…), for logs.
        public let name: String
        /// The exit code an error of this kind ends the command with.
        public let exitStatus: ExitStatus

        /// A kind of one's own, such as the runner's `locked` (exit 75).
        public init(name: String, exitStatus: ExitStatus) {
            self.name = name
            self.exitStatus = exitStatus
        }

        /// The kind's name.
        public var description: String { name }

        /// Reading or writing a file failed (missing, unreadable, unwritable, disk full).
        public static let io = Kind(name: "io", exitStatus: .failure)
        /// The input data is malformed and the run cannot go on.
        public static let data = Kind(name: "data", exitStatus: .dataError)
        /// Bytes that are not valid in the input's encoding.
        public static let encoding = Kind(name: "encoding", exitStatus: .dataError)
        /// The user asked for something that cannot be done (bad option or combination).
        public static let usage = Kind(name: "usage", exitStatus: .usage)
        /// A remote service did not answer usefully, after the retries (exit 69).
        public static let unavailable = Kind(name: "unavailable", exitStatus: .unavailable)
        /// A remote service refused the key or the caller (exit 77).
        public static let permission = Kind(name: "permission", exitStatus: .noPermission)
        /// A remote service's quota is used up: try later (exit 75).
        public static let quota = Kind(name: "quota", exitStatus: .locked)
        /// A bug or an unexpected state inside Publica.
        public static let `internal` = Kind(name: "internal", exitStatus: .failure)
    }

    /// What family of error this is; it gives the exit code.
    public var kind: Kind
    /// What went wrong, in words, without the place (``location`` gives it); options it
    /// suggests are spelled as ``naming`` says.
    public var message: String {
        get { naming.render(template) }
        set { template = newValue }
    }
    /// The message as the library wrote it, options as `{--flag}` (see ``OptionNaming``).
    public private(set) var template: String
    /// How the options a message suggests are spelled: flags (default), or a pipeline file's keys.
    public var naming = OptionNaming.commandLine
    /// Where the problem is (file, line, column, field); nil when it has no place.
    public var location: SourceLocation?

    /// An error of `kind`, with its place when it has one.
    public init(_ kind: Kind, _ message: String, at location: SourceLocation? = nil) {
        self.kind = kind
        template = message
        self.location = location
    }

    /// A failed system call (`io`): what was being done, then the system's words for `code` (an
    /// `errno`, read by the caller before anything else can change it), at `path` when there is one.
    /// The one place an `errno` becomes words.
    public static func system(_ code: Int32, _ action: String, path: String? = nil) -> PublicaError {
        PublicaError(.io, "\(action): \(String(cString: strerror(code)))", at: path.map { SourceLocation(file: $0) })
    }

    /// The exit code this error ends the command with (its kind's).
    public var exitStatus: ExitStatus { kind.exitStatus }

    /// One line: `file:line:column: error: message`.
    public var description: String {
        if let location { return "\(location): error: \(message)" }
        return "error: \(message)"
    }
}
