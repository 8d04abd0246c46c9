import PublicaCore

/// A pipeline's steps in order, with their counts: one record in, one outcome out.
///
/// A record read as bytes goes through the steps' fast paths as far as they vouch for it, then
/// through the rest as a ``Record``. The chain is used by one thread at a time: the reader's,
/// or the steps' own thread when records come in batches (``StepThread``).
struct StepChain {
    var steps: [any PipelineStep]
    /// Per step, in order.
    var counts: [Engine.StepCount]
    /// Records seen, for sampling the steps' time.
    private var seen = 0
    /// The records of a step's ``RawStepResult/many``, copied after the later steps, which
    /// reuse their buffers from one record to the next; valid until the chain's next call.
    private let detached = DetachedRecords()

    init(steps: [any PipelineStep]) {
        self.steps = steps
        counts = Array(repeating: Engine.StepCount(), count: steps.count)
    }

    /// What became of a record.
    enum Outcome {
        /// Kept, still as bytes (valid until the chain's next call).
        case raw(RawRecord)
        case record(Record)
        case rejected(Rejection)
        case dropped
        /// A step made several records of one: what became of each, in order.
        case several([Outcome])
        /// A step holds the record until the end of the stream (``finish(_:)``).
        case held
    }

    mutating func process(raw record: RawRecord) throws -> Outcome {
        seen &+= 1
        detached.reset()
        return try process(raw: record, from: 0)
    }

    /// A record as bytes through the steps from `first` on.
    private mutating func process(raw record: RawRecord, from first: Int) throws -> Outcome {
        var current = record
        for index in steps.indices.dropFirst(first) {
            let timed = seen & StepChain.timingMask == 0
            let started = timed ? Engine.now() : 0
            let result = try steps[index].process(raw: current)
            if timed { counts[index].seconds += (Engine.now() - started) * StepChain.timingScale }
            switch result {
            case nil:
                return try process(current.makeRecord(), from: index)
            case .keep(let next)?:
                counts[index].input += 1
                counts[index].output += 1
                current = next
            case .drop?:
                counts[index].input += 1
                counts[index].dropped += 1
                return .dropped
            case .held?:
                counts[index].input += 1
                return .held
            case .many(let records)?:
                counts[index].input += 1
                guard !records.isEmpty else {
                    counts[index].dropped += 1
                    return .dropped
                }
                counts[index].output += records.count
                // What passed the later steps unchanged is still the step's own (valid until the
                // chain's next call); what they made is in buffers they reuse: copied.
                return .several(
                    try records.map { record in
                        let outcome = try process(raw: record, from: index + 1)
                        if case .raw(let kept) = outcome, kept.fields.baseAddress == record.fields.baseAddress {
                            return outcome
                        }
                        return detached.keep(outcome)
                    })
            }
        }
        return .raw(current)
    }

    mutating func process(_ record: Record) throws -> Outcome {
        seen &+= 1
        detached.reset()
        return try process(record, from: 0)
    }

    /// A record through the steps from `first` on.
    private mutating func process(_ record: Record, from first: Int) throws -> Outcome {
        var current = record
        for index in steps.indices.dropFirst(first) {
            counts[index].input += 1
            let timed = seen & StepChain.timingMask == 0
            let started = timed ? Engine.now() : 0
            let result = try steps[index].process(current)
            if timed { counts[index].seconds += (Engine.now() - started) * StepChain.timingScale }
            switch result {
            case .keep(let next):
                counts[index].output += 1
                current = next
            case .drop:
                counts[index].dropped += 1
                return .dropped
            case .reject(let rejection):
                counts[index].rejected += 1
                return .rejected(rejection)
            case .held:
                return .held
            case .many(let records):
                guard !records.isEmpty else {
                    counts[index].dropped += 1
                    return .dropped
                }
                counts[index].output += records.count
                return .several(try records.map { try process($0, from: index + 1) })
            }
        }
        return .record(current)
    }

    /// The end of the stream: each step, in order, gives the records it held, which go through
    /// the later steps (themselves holding, or passing them on) into `emit`.
    mutating func finish(_ emit: (Outcome) throws -> Void) throws {
        for index in steps.indices {
            // Taken out while it emits: the records it gives go through the steps after it.
            var step = steps[index]
            try step.finish(
                raw: { record in
                    counts[index].output += 1
                    detached.reset()
                    try emit(try process(raw: record, from: index + 1))
                },
                records: { record in
                    counts[index].output += 1
                    try emit(try process(record, from: index + 1))
                },
                rejects: { rejection in
                    counts[index].rejected += 1
                    try emit(.rejected(rejection))
                })
            // Held and then left out: dropped here, and in the run's totals.
            counts[index].dropped += step.droppedWhenFinished
            for _ in 0..<step.droppedWhenFinished { try emit(.dropped) }
            steps[index] = step
        }
    }

    /// Steps are timed on every 16th record (and the time scaled up): two clock readings per
    /// step per record would cost more than a fast step itself.
    static let timingMask = 15
    static let timingScale = 16.0
}
