import Foundation
import PublicaCore

/// Keeps requests under a rate (`rate: 10/s`) and waits between attempts: exponential backoff
/// with jitter, so many clients retrying at once do not hit the service in step. Shared by
/// the threads fetching pages at once (the rate is the source's, not each thread's).
final class Pacer: @unchecked Sendable {
    private let lock = NSLock()
    private let interval: Double
    private var next = 0.0

    /// `rate` requests a second at most (nil: no limit).
    init(rate: Double?) { interval = rate.map { $0 > 0 ? 1 / $0 : 0 } ?? 0 }

    /// Returns when the next request may start.
    func waitForTurn() throws {
        guard interval > 0 else { return }
        let start: Double = lock.withLock {
            let now = Pacer.now()
            let start = max(now, next)
            next = start + interval
            return start
        }
        try Pacer.sleep(start - Pacer.now())
    }

    /// The wait before attempt `attempt + 1`: a random time between half and all of
    /// backoff × 2^(attempt - 1), which is at most `max`.
    static func backoff(attempt: Int, base: Double, max limit: Double) -> Double {
        let ceiling = min(limit, base * pow(2, Double(min(attempt - 1, 30))))
        return Double.random(in: (ceiling / 2)...Swift.max(ceiling, ceiling / 2))
    }

    /// Sleeps `seconds` in short steps, so a SIGTERM stops the wait.
    static func sleep(_ seconds: Double) throws {
        var left = seconds
        while left > 0 {
            try Termination.check()
            let step = min(left, 0.1)
            usleep(UInt32(step * 1_000_000))
            left -= step
        }
        try Termination.check()
    }

    static func now() -> Double { ProcessInfo.processInfo.systemUptime }
}
