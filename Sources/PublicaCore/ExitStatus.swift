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
}
