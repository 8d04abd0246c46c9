import Foundation
import PublicaCore
import PublicaExport

#if canImport(Glibc)
import Glibc
#endif

/// One stream's way through the engine: without steps, the fused or the raw path; with steps,
/// through the ``StepChain``, in batches on the steps' own thread when there is a second core.
struct Flow {
    let schema: RecordSchema
    var chain: StepChain
    /// Dry run: the first records, to print.
    var sample: [Record] = []
    /// The first records written, from which a data package without a schema takes its types.
    var typeRecords: [Record] = []
    /// Records the fused path wrote: text, all of them (it takes only plain CSV rows).
    var fusedRecords = 0
    /// A step stopped the run (`on_error: fail`): nothing after it is written.
    private var stepFailed = false

    init(schema: RecordSchema, steps: [any PipelineStep]) {
        self.schema = schema
        chain = StepChain(steps: steps)
    }

    /// The data package's field types: from the first records, or text where the fused path wrote them.
    var fieldTypes: [String] {
        typeRecords.isEmpty && fusedRecords > 0
            ? Array(repeating: "string", count: schema.count)
            : DataPackage.fieldTypes(of: typeRecords, fieldCount: schema.count)
    }

    mutating func callAsFunction(
        _ source: inout any RecordSource, engine: inout Engine, sinks: inout [Engine.Sink],
        rejects: inout RejectsWriter
    ) throws {
        guard chain.steps.isEmpty && !engine.dryRun else {
            // A dry run stops after a few records: no thread for it.
            if engine.stepsOnOwnThread && !engine.dryRun {
                return try batched(&source, &engine, &sinks, &rejects)
            }
            do {
                try source.forEach(
                    raw: { raw in
                        try count(&engine)
                        try write(chain.process(raw: raw), &engine, &sinks, &rejects)
                    },
                    record: { record in
                        try count(&engine)
                        try write(chain.process(record), &engine, &sinks, &rejects)
                    }, onReject: { try Flow.reject($0, &engine, &rejects) })
            } catch is SampleComplete {}
            return
        }
        try withoutSteps(&source, &engine, &sinks, &rejects)
    }

    /// The end of every stream: the records the steps held (a sort's, an aggregate's groups),
    /// through the steps after them into the outputs.
    mutating func finish(engine: inout Engine, sinks: inout [Engine.Sink], rejects: inout RejectsWriter) throws {
        // Out of self while it runs: writing an outcome changes the flow's sample and type records.
        var chain = self.chain
        defer { self.chain = chain }
        try chain.finish { outcome in try write(outcome, &engine, &sinks, &rejects) }
    }

    /// A record the source could not make (a ragged row): read and rejected.
    private static func reject(_ rejection: Rejection, _ engine: inout Engine, _ rejects: inout RejectsWriter) throws {
        engine.counts.read += 1
        engine.counts.rejected += 1
        engine.counts.rejectedBySource += 1
        if engine.counts.rejected & 1023 == 0 { try Termination.check() }
        try rejects.write(rejection)
    }

    /// Without steps: the fused path (the source renders NDJSON lines itself, straight into the
    /// writer's buffer), else the raw path (fields written from the reader's buffer, no record made).
    private mutating func withoutSteps(
        _ source: inout any RecordSource, _ engine: inout Engine, _ sinks: inout [Engine.Sink],
        _ rejects: inout RejectsWriter
    ) throws {
        if sinks.count == 1, engine.profile == nil,
            try sinks[0].sink.write(
                renderedBy: &source, onReject: { try Flow.reject($0, &engine, &rejects) },
                progress: { records in
                    fusedRecords += records
                    engine.counts.read += records
                    engine.counts.written += records
                    try Termination.check()
                    engine.showProgress()
                })
        {
            return
        }
        try source.forEach(
            raw: { raw in
                engine.counts.read += 1
                try write(.raw(raw), &engine, &sinks, &rejects)
            },
            record: { record in
                engine.counts.read += 1
                try write(.record(record), &engine, &sinks, &rejects)
            }, onReject: { try Flow.reject($0, &engine, &rejects) })
    }

    /// Reads into batches, which the steps' thread processes while the next is read; outcomes
    /// are written here, in order. A reading error comes after the outcomes before it, as it
    /// would on one thread.
    private mutating func batched(
        _ source: inout any RecordSource, _ engine: inout Engine, _ sinks: inout [Engine.Sink],
        _ rejects: inout RejectsWriter
    ) throws {
        let thread = StepThread(chain: chain)
        var spare: [RecordBatch] = []
        // The first batches are small until the steps show how many records they make of one.
        var limit = RecordBatch.firstEntryLimit
        var current = RecordBatch.Input()
        current.entryLimit = limit
        defer { chain = thread.close() }
        func submit() throws {
            let batch = spare.popLast() ?? RecordBatch()
            swap(&batch.input, &current)
            thread.submit(batch)
            // Three batches at most: one being read, one in the steps, one being written.
            if thread.inFlight >= 2, let finished = thread.next() {
                try write(finished, &engine, &sinks, &rejects)
                limit = Flow.entryLimit(after: finished)
                spare.append(finished)
            }
            current.reset()
            current.entryLimit = limit
        }
        do {
            try source.forEach(
                raw: { raw in
                    try count(&engine)
                    if !current.add(raw) {
                        try submit()
                        _ = current.add(raw)
                    }
                    if current.isFull { try submit() }
                },
                record: { record in
                    try count(&engine)
                    current.entries.append(.record(record))
                    if current.isFull { try submit() }
                },
                onReject: { rejection in
                    engine.counts.read += 1
                    current.entries.append(.sourceRejection(rejection))
                    if current.isFull { try submit() }
                })
        } catch {
            // A step's failure stops the run at once. A reading error comes after the outcomes of
            // the records read before it, so a step's failure among them is the one reported.
            if stepFailed { throw error }
            if !current.entries.isEmpty {
                let batch = spare.popLast() ?? RecordBatch()
                swap(&batch.input, &current)
                thread.submit(batch)
            }
            while let finished = thread.next() { try write(finished, &engine, &sinks, &rejects) }
            throw error
        }
        if !current.entries.isEmpty { try submit() }
        while let finished = thread.next() { try write(finished, &engine, &sinks, &rejects) }
    }

    /// The next batches' size: as many input records as make about ``RecordBatch/entryLimit``
    /// outcomes, at the rate the last batch's steps made records (one row into k), so the
    /// batches in flight hold a bounded number of records whatever k is.
    static func entryLimit(after batch: RecordBatch) -> Int {
        let entries = max(batch.input.entries.count, 1)
        let outcomes = batch.output.outcomes.count
        guard outcomes > entries else { return RecordBatch.entryLimit }
        return max(16, RecordBatch.entryLimit * entries / outcomes)
    }

    /// A batch's outcomes, in order.
    private mutating func write(
        _ batch: RecordBatch, _ engine: inout Engine, _ sinks: inout [Engine.Sink],
        _ rejects: inout RejectsWriter
    ) throws {
        let output = batch.output
        let source = batch.input.source ?? RecordBatch.noSource
        try output.fields.withUnsafeBufferPointer { fields in
            for outcome in output.outcomes {
                switch outcome {
                case .raw(let span): try write(.raw(span.record(in: fields, source: source)), &engine, &sinks, &rejects)
                case .record(let record): try write(.record(record), &engine, &sinks, &rejects)
                case .rejected(let rejection): try write(.rejected(rejection), &engine, &sinks, &rejects)
                case .dropped: try write(.dropped, &engine, &sinks, &rejects)
                case .sourceRejection(let rejection):
                    // Counted as read when it came, so only the rejection is counted now.
                    engine.counts.rejected += 1
                    engine.counts.rejectedBySource += 1
                    try rejects.write(rejection)
                case .failed(let error):
                    stepFailed = true
                    throw error
                }
            }
        }
    }

    /// Counts a record read; a dry run with its sample complete reads no further.
    private func count(_ engine: inout Engine) throws {
        if engine.dryRun, let limit = engine.limit, sample.count >= limit { throw SampleComplete() }
        engine.counts.read += 1
        // Counted on reading, not writing: a run whose records are all rejected or dropped stops too.
        if engine.counts.read & 1023 == 0 { try Termination.check() }
    }

    /// One outcome: into every output (or a dry run's sample), the rejects, or counted as dropped.
    private mutating func write(
        _ outcome: StepChain.Outcome, _ engine: inout Engine, _ sinks: inout [Engine.Sink],
        _ rejects: inout RejectsWriter
    ) throws {
        switch outcome {
        case .raw(let record):
            if engine.dryRun { return keep(record.makeRecord(), &engine) }
            if typeRecords.count < 1000 { typeRecords.append(record.makeRecord()) }
            try engine.retained?.append(raw: record)
            engine.profile?.add(raw: record)
            for index in sinks.indices { try sinks[index].sink.write(raw: record) }
        case .record(let record):
            if engine.dryRun { return keep(record, &engine) }
            if typeRecords.count < 1000 { typeRecords.append(record) }
            try engine.retained?.append(record)
            engine.profile?.add(record)
            for index in sinks.indices { try sinks[index].sink.write(record) }
        case .rejected(let rejection):
            engine.counts.rejected += 1
            return try rejects.write(rejection)
        case .dropped:
            engine.counts.dropped += 1
            return
        case .several(let outcomes):
            for outcome in outcomes { try write(outcome, &engine, &sinks, &rejects) }
            return
        case .held:
            return
        }
        try engine.countWritten()
    }

    /// A dry run's record: into the sample, counted as written.
    private mutating func keep(_ record: Record, _ engine: inout Engine) {
        engine.counts.written += 1
        sample.append(record)
    }
}

extension Engine {
    /// Counts a written record; every 4096th, a termination signal (SIGTERM, Ctrl-C) stops the
    /// run and a terminal gets a progress line.
    @inline(__always)
    mutating func countWritten() throws {
        counts.written += 1
        if counts.written & 4095 == 0 {
            try Termination.check()
            showProgress()
        }
    }
}

/// A dry run has printed enough records: the rest of the input is not read.
struct SampleComplete: Error {}
