import Foundation
import PublicaCore

extension Fetcher {
    /// One page's outcome in a concurrent fetch.
    typealias Fetched = (page: FetchManifest.Page, status: PageEnvelope?)

    /// Fetches pages `numbers` with up to ``RemoteSource/concurrency`` requests in flight (the
    /// source's `rate` shared by all), and returns them in page order. The first failure stops
    /// every worker from taking another page (a quota answer stops the fetch at once): then the
    /// pages below the lowest failing one come back with its error, to be kept for `--resume`.
    func fetchConcurrently(
        _ numbers: ClosedRange<Int>, preset: any PagingPreset, into folder: String
    ) -> (pages: [Fetched], failure: Error?) {
        let state = ConcurrentPages(numbers)
        var noted = self
        let lock = NSLock()
        let note = self.note
        noted.note = { line in lock.withLock { note(line) } }
        let workers = (0..<min(source.concurrency, numbers.count)).map { _ in
            WorkerThread { [noted] in
                while let number = state.take() {
                    do {
                        let fetched = try noted.fetchPage(
                            preset.url(page: number), number: number, into: folder, inspect: true)
                        state.finish(number, fetched)
                    } catch {
                        state.fail(number, error)
                    }
                }
            }
        }
        for worker in workers { worker.join() }
        return state.results()
    }
}

/// The pages of a concurrent fetch: which to take next, what came back, the first failure.
private final class ConcurrentPages: @unchecked Sendable {
    private let lock = NSLock()
    private let numbers: ClosedRange<Int>
    private var next: Int
    private var fetched: [Int: Fetcher.Fetched] = [:]
    private var failure: (page: Int, error: Error)?

    init(_ numbers: ClosedRange<Int>) {
        self.numbers = numbers
        next = numbers.lowerBound
    }

    /// The next page to fetch; nil when all are taken or one failed.
    func take() -> Int? {
        lock.withLock {
            guard failure == nil, next <= numbers.upperBound else { return nil }
            next += 1
            return next - 1
        }
    }

    func finish(_ number: Int, _ result: Fetcher.Fetched) {
        lock.withLock { fetched[number] = result }
    }

    func fail(_ number: Int, _ error: Error) {
        lock.withLock {
            if failure == nil || number < failure!.page { failure = (number, error) }
        }
    }

    /// The pages in order, all of them or those below the lowest failing page, and its failure.
    func results() -> (pages: [Fetcher.Fetched], failure: Error?) {
        lock.withLock {
            let end = failure.map { $0.page - 1 } ?? numbers.upperBound
            let pages = numbers.lowerBound > end ? [] : (numbers.lowerBound...end).map { fetched[$0]! }
            return (pages, failure?.error)
        }
    }
}
