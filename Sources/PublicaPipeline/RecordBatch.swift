import PublicaCore

/// Records copied out of the reader's buffer, with what the steps made of each: so the steps
/// can run on their own thread while the reader goes on (``StepThread``).
///
/// Input and outcomes stay in input order, with the source's own rejections (a ragged row)
/// among them, so the rejects file and every output are the same as a run on one thread.
/// Each side works on its own struct (``Input`` filled by the reader, ``Output`` by the steps)
/// and hands it over whole: no per-record locking, no per-record access checks, and raw records
/// point at their source's name (held by the batch) without counting references to it.
final class RecordBatch: @unchecked Sendable {
    enum Entry {
        /// A raw record, its fields in the input's fields.
        case raw(Span)
        case record(Record)
        case sourceRejection(Rejection)
    }

    enum Outcome {
        /// Kept as bytes, its fields in the output's fields.
        case raw(Span)
        case record(Record)
        case rejected(Rejection)
        case sourceRejection(Rejection)
        case dropped
        /// A step stopped the run (`on_error: fail`); nothing after it counts.
        case failed(any Error)
    }

    /// What the reader fills.
    struct Input {
        var entries: [Entry] = []
        var fields: [RawRecord.Field] = []
        /// The input records' bytes; fields point here, so it never moves while the batch is full.
        var bytes = Arena(capacity: RecordBatch.byteCapacity)
        /// The most output bytes the steps can make from this input (a cast's numbers grow by at most two bytes).
        var outputBound = 0
        /// The records' source, held while the batch is; a batch holds records of one source.
        var source: SourceName?

        /// How many entries make the batch full: fewer than ``RecordBatch/entryLimit`` when the
        /// steps make several records of one (an unpivot of 30 columns would hold 120,000).
        var entryLimit = RecordBatch.entryLimit

        var isFull: Bool { entries.count >= entryLimit }

        /// Copies a raw record in; false (nothing added) when it does not fit, or comes from
        /// another source, and the batch is not empty.
        mutating func add(_ record: RawRecord) -> Bool {
            if source !== record.place.source {
                guard entries.isEmpty else { return false }
                source = record.place.source
            }
            // A CSV record's fields lie in order in one stretch of the reader's buffer: one copy.
            var low = UInt.max, high: UInt = 0, size = 0
            for field in record.fields where field.count > 0 {
                size &+= field.count
                low = min(low, UInt(bitPattern: field.start))
                high = max(high, UInt(bitPattern: field.start + field.count))
            }
            let span = size == 0 ? 0 : Int(high &- low)
            let contiguous = span <= 2 &* size &+ 2 &* record.fields.count &+ 16
            let room = contiguous ? span : size
            if bytes.used &+ room > bytes.capacity {
                guard entries.isEmpty else { return false }
                bytes.reserve(room)
            }
            let first = fields.count
            let copied = contiguous && span > 0 ? bytes.copy(UnsafePointer(bitPattern: low)!, count: span) : nil
            for field in record.fields {
                let start: UnsafePointer<UInt8>
                if field.count == 0 {
                    start = RawRecord.Field.null.start
                } else if let copied {
                    start = copied + Int(UInt(bitPattern: field.start) &- low)
                } else {
                    start = bytes.copy(field.start, count: field.count)
                }
                fields.append(RawRecord.Field(start: start, count: field.count, encoding: field.encoding))
            }
            outputBound &+= size &+ 2 &* record.fields.count &+ 16
            entries.append(.raw(Span(first: first, record)))
            return true
        }

        /// Empties the input for reuse, keeping its memory.
        mutating func reset() {
            entries.removeAll(keepingCapacity: true)
            fields.removeAll(keepingCapacity: true)
            bytes.used = 0
            outputBound = 0
            source = nil
        }
    }

    /// What the steps make.
    struct Output {
        var outcomes: [Outcome] = []
        var fields: [RawRecord.Field] = []
        /// Bytes the steps made (canonical numbers), copied out of their buffers.
        var bytes = Arena(capacity: 2 * RecordBatch.byteCapacity)

        mutating func reset() {
            outcomes.removeAll(keepingCapacity: true)
            fields.removeAll(keepingCapacity: true)
            bytes.used = 0
        }
    }

    /// Where a raw record's fields are in a batch, and its place in the source (the source's
    /// name is the batch's).
    struct Span {
        var first: Int32, count: Int32
        var line: Int, endLine: Int, recordNumber: Int

        init(first: Int, _ record: RawRecord) {
            self.first = Int32(first)
            count = Int32(record.fields.count)
            line = record.place.line
            endLine = record.place.endLine
            recordNumber = record.place.recordNumber
        }

        /// The record, its fields in `fields`.
        func record(in fields: UnsafeBufferPointer<RawRecord.Field>, source: SourceName) -> RawRecord {
            RawRecord(
                fields: UnsafeBufferPointer(rebasing: fields[Int(first)..<Int(first + count)]),
                place: RawRecord.Place(source: source, line: line, endLine: endLine, recordNumber: recordNumber))
        }
    }

    var input = Input()
    var output = Output()

    static let byteCapacity = 1 << 20
    /// The source of a batch without raw records (none of its entries points at it).
    static let noSource = SourceName("")
    static let entryLimit = 4096
    /// The size of a flow's first batches, before the steps have shown their rate.
    static let firstEntryLimit = 128

    /// Runs every entry through the chain, in order, keeping the outcomes.
    func process(_ chain: inout StepChain) {
        let input = self.input
        var output = self.output
        output.reset()
        output.bytes.reserve(input.outputBound)
        output.outcomes.reserveCapacity(input.entries.count)
        let source = input.source ?? RecordBatch.noSource
        input.fields.withUnsafeBufferPointer { all in
            for entry in input.entries {
                do {
                    switch entry {
                    case .raw(let span):
                        output.keep(
                            try chain.process(raw: span.record(in: all, source: source)), inputBytes: input.bytes)
                    case .record(let record):
                        output.keep(try chain.process(record), inputBytes: input.bytes)
                    case .sourceRejection(let rejection):
                        output.outcomes.append(.sourceRejection(rejection))
                    }
                } catch {
                    output.outcomes.append(.failed(error))
                    return
                }
            }
        }
        self.output = output
    }
}

extension RecordBatch.Output {
    /// An outcome kept beyond the chain's next call: fields in the steps' buffers are copied.
    mutating func keep(_ outcome: StepChain.Outcome, inputBytes: Arena) {
        switch outcome {
        case .record(let record): outcomes.append(.record(record))
        case .rejected(let rejection): outcomes.append(.rejected(rejection))
        case .dropped: outcomes.append(.dropped)
        case .held: break
        case .several(let each): for outcome in each { keep(outcome, inputBytes: inputBytes) }
        case .raw(let record):
            let first = fields.count
            for field in record.fields {
                guard field.count > 0, !inputBytes.holds(field.start) else {
                    fields.append(
                        field.count == 0
                            ? RawRecord.Field(start: RawRecord.Field.null.start, count: 0, encoding: field.encoding)
                            : field)
                    continue
                }
                guard bytes.used &+ field.count <= bytes.capacity else {
                    // A step of one's own made more than a cast can: keep the record as values.
                    fields.removeLast(fields.count - first)
                    return outcomes.append(.record(record.makeRecord()))
                }
                fields.append(
                    RawRecord.Field(
                        start: bytes.copy(field.start, count: field.count), count: field.count,
                        encoding: field.encoding))
            }
            outcomes.append(.raw(RecordBatch.Span(first: first, record)))
        }
    }
}

/// Bytes appended back to back in one allocation, freed with the last copy of the arena.
struct Arena {
    private final class Storage {
        let base: UnsafeMutablePointer<UInt8>
        let capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(capacity: capacity)
        }

        deinit { base.deallocate() }
    }

    private var storage: Storage
    var used = 0

    init(capacity: Int) {
        storage = Storage(capacity: capacity)
    }

    var capacity: Int { storage.capacity }

    mutating func copy(_ source: UnsafePointer<UInt8>, count: Int) -> UnsafePointer<UInt8> {
        let destination = storage.base + used
        destination.update(from: source, count: count)
        used &+= count
        return UnsafePointer(destination)
    }

    func holds(_ pointer: UnsafePointer<UInt8>) -> Bool {
        pointer >= UnsafePointer(storage.base) && pointer < UnsafePointer(storage.base + storage.capacity)
    }

    /// Room for `count` more bytes; only while nothing points in.
    mutating func reserve(_ count: Int) {
        guard used + count > storage.capacity else { return }
        let grown = Storage(capacity: used + count)
        grown.base.update(from: storage.base, count: used)
        storage = grown
    }
}
