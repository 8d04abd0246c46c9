internal import CPublicaSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stopping cleanly on SIGTERM, SIGINT and SIGHUP (cron's `timeout`, a shutdown, Ctrl-C).
///
/// The first signal is only noted; long loops call ``check()`` and stop with an error, so
/// temporary files and the staging folder are removed, the lock is released and the previous
/// outputs stay as they were. A read from a stream (a FIFO, a pipe) that waits for data checks
/// too, so a stalled input does not keep the run alive. A second signal ends the process at once, which is still safe:
/// outputs are only ever replaced by one atomic rename.
public enum Termination {
    /// Starts noting termination signals (once per process is enough).
    public static func catchSignals() {
        publica_catch_termination()
    }

    /// The signal received, if any.
    public static var signal: Int32? {
        let caught = publica_termination_signal()
        return caught == 0 ? nil : caught
    }

    /// Throws when a termination signal has arrived: exit 130 for SIGINT, 143 for SIGTERM and 129 for SIGHUP.
    @inline(__always)
    public static func check() throws {
        if publica_termination_signal() != 0 { throw error() }
    }

    private static func error() -> PublicaError {
        let caught = publica_termination_signal()
        let (name, status): (String, ExitStatus) =
            switch caught {
            case SIGINT: ("SIGINT", .interrupted)
            case SIGHUP: ("SIGHUP", .hangUp)
            default: ("SIGTERM", .terminated)
            }
        return PublicaError(
            PublicaError.Kind(name: "terminated", exitStatus: status),
            "stopped by \(name): nothing was published, previous outputs are intact")
    }
}
