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
    /// A remote service stayed unavailable after the retries (HTTP 5xx, timeouts, data.go.kr 01,
    /// 02, 04, 05, 12, 99; Seoul ERROR-500, -600, -601; KOSIS 50).
    case unavailable = 69
    /// Try later: another run holds the lock, or an API's quota is used up (data.go.kr 21–23,
    /// Seoul ERROR-337, KOSIS 40–42, odcloud HTTP 429).
    case locked = 75
    /// The API refused the key or the caller (data.go.kr 20, 30–33; Seoul INFO-100; KOSIS 10, 11;
    /// odcloud -4; HTTP 401/403); never retried.
    case noPermission = 77
    /// Stopped by SIGHUP (128 + 1) before publishing; previous outputs intact.
    case hangUp = 129
    /// Stopped by SIGINT (128 + 2) before publishing; previous outputs intact.
    case interrupted = 130
    /// Stopped by SIGTERM (128 + 15) before publishing; previous outputs intact.
    case terminated = 143
}
