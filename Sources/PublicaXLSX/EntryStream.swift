import Foundation
import PublicaCore

/// An entry's inflated bytes as a pull stream: a worker thread inflates (ZIPFoundation pushes
/// chunks into a closure) and hands chunks over through a queue of at most `depth` chunks, so
/// the sheet is never whole in memory while the reader takes records at its own pace.
final class EntryStream {
    private let channel: ChunkChannel
    private let worker: WorkerThread

    init(package: WorkbookPackage, name: String, depth: Int = 4) {
        let channel = ChunkChannel(depth: depth)
        self.channel = channel
        worker = WorkerThread {
            do {
                try package.inflate(name) { try channel.put($0) }
                channel.finish(nil)
            } catch is ChunkChannel.Cancelled {
                channel.finish(nil)
            } catch {
                channel.finish(error)
            }
        }
    }

    /// The next chunk, or nil at the entry's end; rethrows what stopped the inflation.
    func next() throws -> Data? { try channel.take() }

    deinit {
        channel.cancel()
        worker.join()
    }
}

/// The inflated chunks' hand-over.
typealias ChunkChannel = HandOver<Data>

/// Thrown to a producer once its reader has gone.
struct HandOverCancelled: Error {}

/// A bounded hand-over between a producing thread (the inflater, the sheet parser) and its
/// reader.
final class HandOver<Item>: @unchecked Sendable {
    typealias Cancelled = HandOverCancelled

    private let condition = NSCondition()
    private let depth: Int
    private var chunks: [Item] = []
    private var finished = false
    private var failure: Error?
    private var cancelled = false

    init(depth: Int) { self.depth = depth }

    /// Waits for room, then queues `chunk`; throws ``Cancelled`` once the reader has gone.
    func put(_ chunk: Item) throws {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count >= depth && !cancelled { condition.wait() }
        if cancelled { throw Cancelled() }
        chunks.append(chunk)
        condition.broadcast()
    }

    func finish(_ error: Error?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    func take() throws -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty && !finished { condition.wait() }
        if !chunks.isEmpty {
            condition.broadcast()
            return chunks.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
