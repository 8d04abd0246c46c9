import PublicaCore

/// Records copied out of the reader's buffer, with what the steps made of each: so the steps
/// can run on their own thread while the reader goes on (``StepThread``).
///
/// Input and outcomes stay in input order, with the source's own rejections (a ragged row)
/// among them, so the rejects file and every output are the same as a run on one thread.
final class RecordBatch: @unchecked Sendable {
    enum Entry {
        /// A raw record: `count` fields from `first` in ``fields``.
        case raw(first: Int, count: Int, provenance: Provenance)
        case record(Record)
        case sourceRejection(Rejection)
    }

    enum Outcome {
        /// Kept as bytes: `count` fields from `first` in ``outputFields``.
        case raw(first: Int, count: Int, provenance: Provenance)
        case record(Record)
        case rejected(Rejection)
        case sourceRejection(Rejection)
        case dropped
        /// A step stopped the run (`on_error: fail`); nothing after it counts.
        case failed(any Error)
    }

    private(set) var entries: [Entry] = []
    private(set) var fields: [RawRecord.Field] = []
    private(set) var outcomes: [Outcome] = []
    private(set) var outputFields: [RawRecord.Field] = []

    /// The input records' bytes; fields point here, so it never moves while the batch is full.
    private let bytes: Arena
    /// Bytes the steps made (canonical numbers), copied out of their buffers.
    private let outputBytes: Arena
    /// The most output bytes the steps can make from this input (a cast's numbers grow by at most two bytes).
    private var outputBound = 0

    static let byteCapacity = 1 << 20
    static let entryLimit = 4096

    init() {
        bytes = Arena(capacity: RecordBatch.byteCapacity)
        outputBytes = Arena(capacity: 2 * RecordBatch.byteCapacity)
    }

    var isEmpty: Bool { entries.isEmpty }
    var isFull: Bool { entries.count >= RecordBatch.entryLimit }

    /// Copies a raw record in; false (nothing added) when it does not fit and the batch is not empty.
    func add(_ record: RawRecord) -> Bool {
        // A CSV record's fields lie in order in one stretch of the reader's buffer: one copy.
        var low = UnsafePointer<UInt8>(bitPattern: UInt.max)!, high = UnsafePointer<UInt8>(bitPattern: 1)!
        var size = 0
        for field in record.fields where field.count > 0 {
            size &+= field.count
            low = min(low, field.start)
            high = max(high, field.start + field.count)
        }
        let span = size == 0 ? 0 : high - low
        let contiguous = span <= 2 &* size &+ 2 &* record.fields.count &+ 16
        let room = contiguous ? span : size
        if bytes.used + room > bytes.capacity {
            guard entries.isEmpty else { return false }
            bytes.reserve(room)
        }
        let first = fields.count
        let copied = contiguous && span > 0 ? bytes.copy(low, count: span) : nil
        for field in record.fields {
            let start: UnsafePointer<UInt8>
            if field.count == 0 {
                start = Arena.empty
            } else if let copied {
                start = copied + (field.start - low)
            } else {
                start = bytes.copy(field.start, count: field.count)
            }
            fields.append(RawRecord.Field(start: start, count: field.count, encoding: field.encoding))
        }
        outputBound &+= size &+ 2 &* record.fields.count &+ 16
        entries.append(.raw(first: first, count: record.fields.count, provenance: record.provenance))
        return true
    }

    func add(_ record: Record) { entries.append(.record(record)) }
    func add(_ rejection: Rejection) { entries.append(.sourceRejection(rejection)) }

    /// Runs every entry through the chain, in order, keeping the outcomes.
    func process(_ chain: inout StepChain) {
        outcomes.reserveCapacity(entries.count)
        outputBytes.reset(atLeast: outputBound)
        for entry in entries {
            do {
                switch entry {
                case .raw(let first, let count, let provenance):
                    let outcome = try fields.withUnsafeBufferPointer { all in
                        try chain.process(raw: RawRecord(fields: UnsafeBufferPointer(rebasing: all[first..<first + count]), provenance: provenance))
                    }
                    outcomes.append(keep(outcome))
                case .record(let record):
                    outcomes.append(keep(try chain.process(record)))
                case .sourceRejection(let rejection):
                    outcomes.append(.sourceRejection(rejection))
                }
            } catch {
                outcomes.append(.failed(error))
                return
            }
        }
    }

    /// An outcome kept beyond the chain's next call: fields in the steps' buffers are copied.
    private func keep(_ outcome: StepChain.Outcome) -> Outcome {
        switch outcome {
        case .record(let record): return .record(record)
        case .rejected(let rejection): return .rejected(rejection)
        case .dropped: return .dropped
        case .raw(let record):
            let first = outputFields.count
            for field in record.fields {
                guard field.count > 0, !bytes.holds(field.start) else {
                    outputFields.append(field.count == 0 ? RawRecord.Field(start: Arena.empty, count: 0, encoding: field.encoding) : field)
                    continue
                }
                guard outputBytes.used + field.count <= outputBytes.capacity else {
                    // A step of one's own made more than a cast can: keep the record as values.
                    outputFields.removeLast(outputFields.count - first)
                    return .record(record.makeRecord())
                }
                outputFields.append(RawRecord.Field(start: outputBytes.copy(field.start, count: field.count), count: field.count,
                                                    encoding: field.encoding))
            }
            return .raw(first: first, count: record.fields.count, provenance: record.provenance)
        }
    }

    /// Calls `body` with each outcome's raw record or record, in order.
    func withOutputRecord<T>(_ first: Int, _ count: Int, _ provenance: Provenance, _ body: (RawRecord) throws -> T) rethrows -> T {
        try outputFields.withUnsafeBufferPointer { all in
            try body(RawRecord(fields: UnsafeBufferPointer(rebasing: all[first..<first + count]), provenance: provenance))
        }
    }

    /// Empties the batch for reuse, keeping its memory.
    func reset() {
        entries.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
        outcomes.removeAll(keepingCapacity: true)
        outputFields.removeAll(keepingCapacity: true)
        bytes.reset(atLeast: 0)
        outputBound = 0
    }
}

/// Bytes appended back to back in one allocation.
final class Arena {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    private(set) var used = 0

    /// What a field of no bytes points at.
    nonisolated(unsafe) static let empty = UnsafePointer(UnsafeMutablePointer<UInt8>.allocate(capacity: 1))

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    func copy(_ source: UnsafePointer<UInt8>, count: Int) -> UnsafePointer<UInt8> {
        let destination = base + used
        destination.update(from: source, count: count)
        used += count
        return UnsafePointer(destination)
    }

    func holds(_ pointer: UnsafePointer<UInt8>) -> Bool {
        pointer >= UnsafePointer(base) && pointer < UnsafePointer(base + capacity)
    }

    /// Room for `count` more bytes; only while nothing points in.
    func reserve(_ count: Int) {
        guard used + count > capacity else { return }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: used + count)
        grown.update(from: base, count: used)
        base.deallocate()
        base = grown
        capacity = used + count
    }

    /// Empties the arena, with room for at least `count` bytes.
    func reset(atLeast count: Int) {
        used = 0
        reserve(count)
    }
}
