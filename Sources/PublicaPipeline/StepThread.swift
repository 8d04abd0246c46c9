import Foundation
import PublicaCore

/// The steps on a thread of their own: the reader fills batches on the caller's thread, the
/// steps process them here, and the caller writes their outcomes in order. With two cores the
/// reading and writing of one batch overlap the steps of the next.
///
/// The steps (and their state: unique values, dedupe keys, head counts) are touched by this
/// thread only, batch after batch in input order, so a run gives the bytes a run on one thread
/// gives.
final class StepThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting: [RecordBatch] = []
    private var done: [RecordBatch] = []
    private var closed = false
    private var finished = false
    private var chain: StepChain

    /// Batches given out and not yet returned by ``next()``.
    private(set) var inFlight = 0

    init(chain: StepChain) {
        self.chain = chain
        let thread = Thread { [self] in work() }
        thread.name = "publica-steps"
        thread.start()
    }

    /// Hands a full batch to the steps.
    func submit(_ batch: RecordBatch) {
        condition.lock()
        waiting.append(batch)
        inFlight += 1
        condition.signal()
        condition.unlock()
    }

    /// The oldest batch the steps have finished, waiting for it; nil when none is in flight.
    func next() -> RecordBatch? {
        condition.lock()
        defer { condition.unlock() }
        guard inFlight > 0 else { return nil }
        while done.isEmpty { condition.wait() }
        inFlight -= 1
        return done.removeFirst()
    }

    /// Stops the thread once the batches given have been processed, and returns the chain
    /// with its counts.
    func close() -> StepChain {
        condition.lock()
        closed = true
        // Batches not begun are not wanted (the run stopped early): skip them.
        inFlight -= waiting.count
        waiting.removeAll()
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
        return chain
    }

    private func work() {
        while true {
            condition.lock()
            while waiting.isEmpty && !closed { condition.wait() }
            if waiting.isEmpty {
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = waiting.removeFirst()
            condition.unlock()
            batch.process(&chain)
            condition.lock()
            done.append(batch)
            condition.broadcast()
            condition.unlock()
        }
    }
}
