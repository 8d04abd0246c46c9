#if canImport(Glibc)
import Glibc
#endif
import PublicaCore

/// Where a run tells what it does: readable lines, JSON lines, or nothing but errors.
public struct RunLog: Sendable {
    public enum Format: String, Sendable { case text, json }

    public var format: Format
    public var quiet: Bool

    public init(format: Format = .text, quiet: Bool = false) {
        self.format = format
        self.quiet = quiet
    }

    public func info(_ message: String, _ fields: [(String, FieldValue)] = []) { emit("info", message, fields) }
    public func error(_ message: String, _ fields: [(String, FieldValue)] = []) { emit("error", message, fields) }

    private func emit(_ level: String, _ message: String, _ fields: [(String, FieldValue)]) {
        if quiet && level != "error" { return }
        let line: String
        switch format {
        case .text:
            let extra = fields.map { "\($0.0)=\($0.1.textValue ?? "null")" }.joined(separator: " ")
            line = "publica: \(level == "error" ? "error: " : "")\(message)\(extra.isEmpty ? "" : " (\(extra))")\n"
        case .json:
            line = JSONText.render(.object([("level", .text(level)), ("message", .text(message))] + fields.map { (key: $0.0, value: $0.1) })) + "\n"
        }
        _ = line.withCString { write(2, $0, strlen($0)) }
    }
}
