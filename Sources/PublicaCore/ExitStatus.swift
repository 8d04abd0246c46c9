/// The process exit codes Publica documents (see README, "Exit codes").
///
/// Cron jobs and scripts branch on these, so each has exactly one meaning.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Success, nothing rejected (or nothing to do).
    case success = 0
    /// Internal or I/O failure (missing input, disk full, permission denied); previous outputs intact.
    case failure = 1
    /// Published, but some records were rejected; the rejects file says which.
    case publishedWithRejects = 3
    /// A quality gate failed; nothing published.
    case qualityGateFailed = 4
    /// Usage or pipeline-file error.
    case usage = 64
    /// Input data error that stops the run (malformed input under fail-fast, API error envelope).
    case dataError = 65
    /// Another run holds the lock.
    case locked = 75
    /// Stopped by SIGHUP (128 + 1) before publishing; previous outputs intact.
    case hangUp = 129
    /// Stopped by SIGINT (128 + 2) before publishing; previous outputs intact.
    case interrupted = 130
    /// Stopped by SIGTERM (128 + 15) before publishing; previous outputs intact.
    case terminated = 143
}
