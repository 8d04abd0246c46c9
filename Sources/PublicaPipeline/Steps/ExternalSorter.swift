import PublicaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sorts blocks of bytes (a key and a payload each) by their keys' byte order, stably, within
/// a memory budget: blocks are copied into a ``BlockArena`` until it passes the budget, then
/// sorted and written to a spill file as a run; at the end the runs are merged k ways (in
/// several passes when there are more than ``fanIn``), ties going to the earlier run, so equal
/// keys keep their input order. Without a spill the sort is in memory.
///
/// Keys are bytes whose order is the wanted order (``SortKey``), so sorting compares bytes and
/// moves 16-byte entries, never records: no reference counting, and memory that is counted
/// exactly. A class so the spill files it owns close (and, unnamed, vanish) when it goes,
/// whatever the exit path.
final class ExternalSorter {
    /// What a block's bytes are given to: its key and payload, valid during the call.
    typealias Emit = (_ key: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer) throws -> Void

    private let budget: MemoryBudget
    private var arena: BlockArena
    private var runs: [SpillRun] = []
    private var file: SpillFile?
    private var sinceCheck = 0
    /// Runs written (merge passes included), and their bytes: for reports and tests.
    private(set) var spilledRuns = 0
    private(set) var spilledBytes = 0

    init(budget: MemoryBudget) {
        self.budget = budget
        arena = BlockArena(chunkSize: min(max(budget.bytes / 16, 16 << 10), 8 << 20))
    }

    /// How many runs one merge reads at once: each gets a buffer of budget / fanIn bytes
    /// (16 KiB to 1 MiB), so the merge's buffers keep within the budget.
    var fanIn: Int { min(max(budget.bytes / (16 << 10), 4), 128) }
    private var bufferSize: Int { min(max(budget.bytes / fanIn, 16 << 10), 1 << 20) }

    /// Copies a block in, spilling a sorted run when the held blocks pass the budget.
    func add(key: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer) throws {
        guard key.count < UInt32.max, payload.count < UInt32.max else {
            throw PublicaError(
                .data, "a record of 4 GiB or more cannot be held for sorting (lower {--max-record-size})")
        }
        arena.add(key: key, payload: payload)
        try checkTermination()
        if arena.bytes > budget.bytes { try spillHeld() }
    }

    /// ``add(key:payload:)`` from byte arrays.
    func add(key: [UInt8], payload: [UInt8]) throws {
        try key.withUnsafeBytes { key in try payload.withUnsafeBytes { try add(key: key, payload: $0) } }
    }

    /// Gives every block, in order, to `emit`, and lets go of the spill files.
    func finish(_ emit: Emit) throws {
        defer { runs = [] }
        guard !runs.isEmpty else {
            try arena.sorted { key, payload in
                try emit(key, payload)
                try checkTermination()
            }
            arena.removeAll()
            return
        }
        if arena.count > 0 { try spillHeld() }
        arena.removeAll()
        file = nil
        while runs.count > fanIn { try mergePass() }
        try merge(runs, into: emit)
    }

    private func spillHeld() throws {
        let file = try self.file ?? SpillFile(in: budget.folder)
        self.file = file
        var writer = SpillWriter(file: file, bufferSize: bufferSize)
        try arena.sorted { key, payload in
            try writer.write(key: key, payload: payload)
            try checkTermination()
        }
        arena.reset()
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
            try merge(Array(runs[start..<min(start + fanIn, runs.count)])) {
                try writer.write(key: $0, payload: $1)
            }
            let run = try writer.finish()
            merged.append(run)
            spilledRuns += 1
            spilledBytes += run.length
        }
        runs = merged
    }

    /// A k-way merge through a binary heap of the runs' next blocks; on equal keys the earlier run first.
    private func merge(_ runs: [SpillRun], into emit: Emit) throws {
        let readers = runs.map { SpillReader($0, bufferSize: bufferSize) }
        var heads: [(key: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer, run: Int)] = []
        for (index, reader) in readers.enumerated() {
            if let (key, payload) = try reader.next() { heads.append((key, payload, index)) }
        }
        var heap = MergeHeap(heads) { a, b in
            let order = BlockArena.compare(a.key, b.key)
            return order != 0 ? order < 0 : a.run < b.run
        }
        while let top = heap.first {
            try emit(top.key, top.payload)
            try checkTermination()
            // The reader's next block may move its buffer: the top's bytes are used up by now.
            if let (key, payload) = try readers[top.run].next() {
                heap.replaceFirst(with: (key, payload, top.run))
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
