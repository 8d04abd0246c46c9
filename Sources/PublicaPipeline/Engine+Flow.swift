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
                try source.forEach(raw: { raw in try handle(raw.makeRecord(), &engine, &sinks, &rejects) },
                                   record: { record in try handle(record, &engine, &sinks, &rejects) },
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

    /// One record through every step, then into every output.
    private mutating func handle(_ record: Record, _ engine: inout Engine, _ sinks: inout [Engine.Sink],
                                 _ rejects: inout RejectsWriter) throws {
        if engine.dryRun, let limit = engine.limit, sample.count >= limit { throw SampleComplete() }
        engine.counts.read += 1
        // Counted on reading, not writing: a run whose records are all rejected or dropped stops too.
        if engine.counts.read & 1023 == 0 { try Termination.check() }
        var current = record
        for index in engine.steps.indices {
            engine.stepCounts[index].input += 1
            let started = Engine.now()
            let result = try engine.steps[index].process(current)
            engine.stepCounts[index].seconds += Engine.now() - started
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
        if engine.dryRun {
            engine.counts.written += 1
            sample.append(current)
            return
        }
        if typeRecords.count < 1000 { typeRecords.append(current) }
        for index in sinks.indices { try sinks[index].sink.write(current) }
        try engine.countWritten()
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
