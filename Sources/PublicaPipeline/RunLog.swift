import Logging
import PublicaCore
import PublicaJSON

#if canImport(Glibc)
import Glibc
#endif

/// Where a run tells what it does, through swift-log: readable lines, JSON lines, or nothing
/// but errors; on a terminal, a progress line while records flow.
public struct RunLog: Sendable {
    /// How events are written: `text`, readable lines, or `json`, one JSON object per line
    /// (`--log-format`).
    public enum Format: String, Sendable { case text, json }

    /// The log's format; it also decides how an error with a compiler-style line is told.
    public let format: Format
    /// Errors only (`-q`): no progress line, and the standard-error log drops everything below errors.
    public let quiet: Bool
    private let logger: Logger
    /// True for the command line's own log: it may print compiler-style lines and a progress
    /// line on standard error. A caller's `Logger` gets every event instead, and no progress line.
    private let ownsStandardError: Bool

    /// A log of its own on standard error, as the command line uses it.
    public init(format: Format = .text, quiet: Bool = false) {
        var logger = Logger(label: "publica") { _ in StandardErrorLogHandler(format: format) }
        logger.logLevel = quiet ? .error : .info
        self.init(logger: logger, format: format, quiet: quiet, ownsStandardError: true)
    }

    /// Logs through the caller's `Logger` (swift-log's rule for libraries: the program chooses
    /// the handler). Every event goes there, errors with their compiler-style line as the
    /// `line` metadata; nothing is written to standard error directly.
    public init(logger: Logger, format: Format = .text, quiet: Bool = false) {
        self.init(logger: logger, format: format, quiet: quiet, ownsStandardError: false)
    }

    private init(logger: Logger, format: Format, quiet: Bool, ownsStandardError: Bool) {
        self.format = format
        self.quiet = quiet
        self.logger = logger
        self.ownsStandardError = ownsStandardError
    }

    /// Logs what a run did; `fields` become the event's metadata (integers stay numbers in JSON).
    /// With `line`, a text log prints that line as it is instead of the message and its fields
    /// (a summary that reads as a sentence); a JSON log always writes the message, its fields and time.
    public func info(_ message: String, _ fields: [(String, FieldValue)] = [], line: String? = nil) {
        tell(.info, message, fields, line: line)
    }

    /// Logs a warning (such as a hint that the data is probably read wrong); `line` as for ``info(_:_:line:)``.
    public func warning(_ message: String, _ fields: [(String, FieldValue)] = [], line: String? = nil) {
        tell(.warning, message, fields, line: line)
    }

    /// Logs an error. With `line` (the compiler-style `file:line:column: error: …`), a text log
    /// prints that line as it is; a JSON log always writes the message with its fields and time.
    public func error(_ message: String, _ fields: [(String, FieldValue)] = [], line: String? = nil) {
        tell(.error, message, fields, line: line)
    }

    /// One event: on the command line's own text log, `line` as it is when there is one; else
    /// the message and fields through the logger (a caller's logger gets `line` as metadata).
    private func tell(_ level: Logger.Level, _ message: String, _ fields: [(String, FieldValue)], line: String?) {
        if ownsStandardError && format == .text, let line {
            guard level >= logger.logLevel else { return }
            var text = line + "\n"
            text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
            return
        }
        var metadata = RunLog.metadata(fields)
        if !ownsStandardError, let line { metadata["line"] = .string(line) }
        logger.log(level: level, "\(message)", metadata: metadata)
    }

    /// A progress line on standard error, only when it is a terminal (never in cron's mail).
    public var showsProgress: Bool { ownsStandardError && !quiet && format == .text && isatty(2) == 1 }

    /// Replaces the progress line on standard error with `text` (an empty text clears it); nothing
    /// when ``showsProgress`` is false.
    public func progress(_ text: String) {
        guard showsProgress else { return }
        var line = "\r\u{1B}[K" + text
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    private static func metadata(_ fields: [(String, FieldValue)]) -> Logger.Metadata {
        var metadata: Logger.Metadata = [:]
        for (key, value) in fields {
            if case .integer(let number) = value {
                metadata[key] = .stringConvertible(number)
            } else {
                metadata[key] = .string(value.textValue ?? "")
            }
        }
        return metadata
    }
}

/// A swift-log handler writing one line per event to standard error, as text or JSON.
struct StandardErrorLogHandler: LogHandler {
    let format: RunLog.Format
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let level = event.level
        let message = event.message
        let all = metadata.merging(event.metadata ?? [:]) { _, new in new }.sorted { $0.key < $1.key }
        var text: String
        switch format {
        case .text:
            let fields = all.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let label = level >= .error ? "error: " : level >= .warning ? "warning: " : ""
            text = "publica: \(label)\(message)\(fields.isEmpty ? "" : " (\(fields))")\n"
        case .json:
            var pairs: [(key: String, value: FieldValue)] = [
                ("time", .text(StandardErrorLogHandler.timestamp())), ("level", .text(level.rawValue)),
                ("message", .text(message.description))
            ]
            for (key, value) in all {
                if case .stringConvertible(let number) = value, let integer = Int64(number.description) {
                    pairs.append((key, .integer(integer)))
                } else {
                    pairs.append((key, .text(value.description)))
                }
            }
            text = JSONText.render(.object(pairs)) + "\n"
        }
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    /// Now in UTC, ISO 8601 with milliseconds (`2026-12-01T03:00:00.123Z`).
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), now.tv_nsec / 1_000_000)
    }
}
