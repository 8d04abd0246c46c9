import PublicaCore
import PublicaExport

/// One stream's way through the engine: without steps, the fused or the raw path; with steps,
/// record by record through each.
struct Flow {
    let schema: RecordSchema
    /// Dry run: the first records, to print.
    var sample: [Record] = []
    /// The first records written, from which a data package without a schema takes its types.
    var typeRecords: [Record] = []
    /// Records the fused path wrote: text, all of them (it takes only plain CSV rows).
    var fusedRecords = 0

    init(schema: RecordSchema) {
        self.schema = schema
    }

    /// The data package's field types: from the first records, or text where the fused path wrote them.
    var fieldTypes: [String] {
        typeRecords.isEmpty && fusedRecords > 0 ? Array(repeating: "string", count: schema.count)
            : DataPackage.fieldTypes(of: typeRecords, fieldCount: schema.count)
    }

    mutating func callAsFunction(_ source: inout any RecordSource, engine: inout Engine, sinks: inout [Engine.Sink],
                                 rejects: inout RejectsWriter) throws {
        func reject(_ rejection: Rejection) throws {
            engine.counts.read += 1
            engine.counts.rejected += 1
            if engine.counts.rejected & 1023 == 0 { try Termination.check() }
            try rejects.write(rejection)
        }
        guard engine.steps.isEmpty && !engine.dryRun else {
            do {
                try source.forEach(raw: { raw in try handle(raw: raw, &engine, &sinks, &rejects) },
                                   record: { record in
                                       try count(&engine)
                                       try handle(record, from: 0, &engine, &sinks, &rejects)
                                   },
                                   onReject: reject)
            } catch is SampleComplete {}
            return
        }
        // The fused path: the source renders NDJSON lines itself, straight into the writer's buffer.
        if sinks.count == 1, try sinks[0].sink.write(renderedBy: &source, onReject: reject, progress: { records in
            fusedRecords += records
            engine.counts.read += records
            engine.counts.written += records
            try Termination.check()
            engine.showProgress()
        }) { return }
        // The raw path: fields written from the reader's buffer, no record made.
        try source.forEach(raw: { raw in
            if typeRecords.count < 1000 { typeRecords.append(raw.makeRecord()) }
            engine.counts.read += 1
            for index in sinks.indices { try sinks[index].sink.write(raw: raw) }
            try engine.countWritten()
        }, record: { record in
            if typeRecords.count < 1000 { typeRecords.append(record) }
            engine.counts.read += 1
            for index in sinks.indices { try sinks[index].sink.write(record) }
            try engine.countWritten()
        }, onReject: reject)
    }

    /// Counts a record read; a dry run with its sample complete reads no further.
    private func count(_ engine: inout Engine) throws {
        if engine.dryRun, let limit = engine.limit, sample.count >= limit { throw SampleComplete() }
        engine.counts.read += 1
        // Counted on reading, not writing: a run whose records are all rejected or dropped stops too.
        if engine.counts.read & 1023 == 0 { try Termination.check() }
    }

    /// One record through the steps' fast paths as far as they vouch for it, then through the
    /// rest as a ``Record``; into every output as bytes when it stayed on the fast path.
    private mutating func handle(raw record: RawRecord, _ engine: inout Engine, _ sinks: inout [Engine.Sink],
                                 _ rejects: inout RejectsWriter) throws {
        try count(&engine)
        var current = record
        for index in engine.steps.indices {
            let timed = engine.counts.read & Flow.timingMask == 0
            let started = timed ? Engine.now() : 0
            let result = try engine.steps[index].process(raw: current)
            if timed { engine.stepCounts[index].seconds += (Engine.now() - started) * Flow.timingScale }
            switch result {
            case nil:
                return try handle(current.makeRecord(), from: index, &engine, &sinks, &rejects)
            case .keep(let next)?:
                engine.stepCounts[index].input += 1
                engine.stepCounts[index].output += 1
                current = next
            case .drop?:
                engine.stepCounts[index].input += 1
                engine.stepCounts[index].dropped += 1
                engine.counts.dropped += 1
                return
            }
        }
        if engine.dryRun { return keep(current.makeRecord(), &engine) }
        if typeRecords.count < 1000 { typeRecords.append(current.makeRecord()) }
        for index in sinks.indices { try sinks[index].sink.write(raw: current) }
        try engine.countWritten()
    }

    /// One record, already counted, through the steps from `first` on, then into every output.
    private mutating func handle(_ record: Record, from first: Int, _ engine: inout Engine, _ sinks: inout [Engine.Sink],
                                 _ rejects: inout RejectsWriter) throws {
        var current = record
        for index in engine.steps.indices.dropFirst(first) {
            engine.stepCounts[index].input += 1
            let timed = engine.counts.read & Flow.timingMask == 0
            let started = timed ? Engine.now() : 0
            let result = try engine.steps[index].process(current)
            if timed { engine.stepCounts[index].seconds += (Engine.now() - started) * Flow.timingScale }
            switch result {
            case .keep(let next):
                engine.stepCounts[index].output += 1
                current = next
            case .drop:
                engine.stepCounts[index].dropped += 1
                engine.counts.dropped += 1
                return
            case .reject(let rejection):
                engine.stepCounts[index].rejected += 1
                engine.counts.rejected += 1
                try rejects.write(rejection)
                return
            }
        }
        if engine.dryRun { return keep(current, &engine) }
        if typeRecords.count < 1000 { typeRecords.append(current) }
        for index in sinks.indices { try sinks[index].sink.write(current) }
        try engine.countWritten()
    }

    /// A dry run's record: into the sample, counted as written.
    private mutating func keep(_ record: Record, _ engine: inout Engine) {
        engine.counts.written += 1
        sample.append(record)
    }

    /// Steps are timed on every 16th record (and the time scaled up): two clock readings per
    /// step per record would cost more than a fast step itself.
    static let timingMask = 15
    static let timingScale = 16.0
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
