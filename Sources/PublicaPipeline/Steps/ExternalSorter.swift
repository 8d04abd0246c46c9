import PublicaCore

/// Sorts records, stably, within a memory budget: records are held until their estimated size
/// passes the budget, then sorted and written to a spill file as a run; at the end the runs
/// are merged k ways (in several passes when there are more than ``fanIn``), ties going to the
/// earlier run, so equal keys keep their input order. Without a spill the sort is in memory.
///
/// A class so the spill files it owns close (and, unnamed, vanish) when it goes, whatever the
/// exit path.
final class ExternalSorter {
    /// Whether `a` goes strictly before `b`.
    typealias Order = (Record, Record) -> Bool

    private let before: Order
    private let budget: MemoryBudget
    private var held: [Record] = []
    private var heldBytes = 0
    private var runs: [SpillRun] = []
    private var file: SpillFile?
    private var sinceCheck = 0
    /// Runs written (merge passes included), and their bytes: for reports and tests.
    private(set) var spilledRuns = 0
    private(set) var spilledBytes = 0

    init(budget: MemoryBudget, before: @escaping Order) {
        self.budget = budget
        self.before = before
    }

    /// How many runs one merge reads at once: each gets a buffer of budget / fanIn bytes
    /// (16 KiB to 1 MiB), so the merge's buffers keep within the budget.
    var fanIn: Int { min(max(budget.bytes / (16 << 10), 4), 128) }
    private var bufferSize: Int { min(max(budget.bytes / fanIn, 16 << 10), 1 << 20) }

    /// Takes a record in, spilling a sorted run when the held records pass the budget.
    func add(_ record: Record) throws {
        heldBytes += RecordSpill.estimatedSize(record)
        held.append(record)
        try checkTermination()
        if heldBytes > budget.bytes { try spillHeld() }
    }

    /// Gives every record, in order, to `emit`, and lets go of the spill files.
    func finish(_ emit: (Record) throws -> Void) throws {
        defer { runs = [] }
        guard !runs.isEmpty else {
            for index in sortedHeld() { try emit(held[Int(index)]) }
            held = []
            return
        }
        if !held.isEmpty { try spillHeld() }
        file = nil
        while runs.count > fanIn { try mergePass() }
        try merge(runs, into: emit)
    }

    /// The held records' positions in order. Positions are sorted, not records: moving a record
    /// retains and releases its values, and a merge sort moves each many times. The standard
    /// library's sort is a stable merge sort (since Swift 5); the sort tests check that it stays
    /// stable.
    private func sortedHeld() -> [Int32] {
        var order = Array(0..<Int32(held.count))
        let before = self.before
        held.withUnsafeBufferPointer { records in
            order.sort { before(records[Int($0)], records[Int($1)]) }
        }
        return order
    }

    private func spillHeld() throws {
        let file = try self.file ?? SpillFile(in: budget.folder)
        self.file = file
        var writer = SpillWriter(file: file, bufferSize: bufferSize)
        for index in sortedHeld() {
            try writer.write(held[Int(index)])
            try checkTermination()
        }
        held = []
        heldBytes = 0
        let run = try writer.finish()
        runs.append(run)
        spilledRuns += 1
        spilledBytes += run.length
    }

    /// Merges consecutive groups of ``fanIn`` runs into one run each, in a new file (the old
    /// one goes with its runs); order, and so stability, is kept.
    private func mergePass() throws {
        let next = try SpillFile(in: budget.folder)
        var merged: [SpillRun] = []
        for start in stride(from: 0, to: runs.count, by: fanIn) {
            var writer = SpillWriter(file: next, bufferSize: bufferSize)
            try merge(Array(runs[start..<min(start + fanIn, runs.count)])) { try writer.write($0) }
            let run = try writer.finish()
            merged.append(run)
            spilledRuns += 1
            spilledBytes += run.length
        }
        runs = merged
    }

    /// A k-way merge through a binary heap of the runs' next records; on equal keys the earlier run first.
    private func merge(_ runs: [SpillRun], into emit: (Record) throws -> Void) throws {
        var readers = runs.map { SpillReader($0, bufferSize: bufferSize) }
        var heads: [(record: Record, run: Int)] = []
        for index in readers.indices {
            if let record = try readers[index].next() { heads.append((record, index)) }
        }
        var heap = MergeHeap(heads) { a, b in
            self.before(a.record, b.record) || (!self.before(b.record, a.record) && a.run < b.run)
        }
        while let top = heap.first {
            try emit(top.record)
            try checkTermination()
            if let record = try readers[top.run].next() {
                heap.replaceFirst(with: (record, top.run))
            } else {
                heap.removeFirst()
            }
        }
    }

    private func checkTermination() throws {
        sinceCheck &+= 1
        if sinceCheck & 4095 == 0 { try Termination.check() }
    }
}
