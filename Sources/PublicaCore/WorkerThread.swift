#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thread that runs one closure and is joined by its owner.
///
/// Readers and writers hand work to a second core with these. Joining (rather than waiting on
/// a semaphore for a dispatch block to finish) means the thread and everything it allocated
/// are gone when the owner is: no work outlives the reader that started it.
public final class WorkerThread {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    private var thread: pthread_t
    private var joined = false

    /// Starts `body` on a new thread.
    public init(_ body: @escaping () -> Void) {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { context in
                #if canImport(Darwin)
                let body = Unmanaged<Body>.fromOpaque(context).takeRetainedValue()
                #else
                let body = Unmanaged<Body>.fromOpaque(context!).takeRetainedValue()
                #endif
                body.run()
                return nil
            }, context)
        precondition(result == 0, "cannot start a thread: \(String(cString: strerror(result)))")
        self.thread = thread
    }

    /// Waits for the thread to finish (once; later calls return at once).
    public func join() {
        guard !joined else { return }
        joined = true
        pthread_join(thread, nil)
    }

    deinit { join() }
}

extension WorkerThread {
    /// Runs `side` on a new thread while `main` runs on this one, and returns both results once
    /// both have finished; rethrows `main`'s error first, then `side`'s. For two independent
    /// preparatory reads (a workbook's shared strings and its sheet's merged ranges).
    public static func both<Main, Side>(
        _ main: () throws -> Main, alongside side: @escaping () throws -> Side
    ) throws -> (Main, Side) {
        let outcome = SideOutcome<Side>()
        let thread = WorkerThread { outcome.value = Result(catching: side) }
        let mainResult = Result(catching: main)
        thread.join()  // Joining orders the thread's write of `outcome` before this read.
        return (try mainResult.get(), try outcome.value!.get())
    }
}

/// What the second thread of ``WorkerThread/both(_:alongside:)`` produced.
private final class SideOutcome<Value> {
    var value: Result<Value, any Error>?
}
