import PublicaCore
import PublicaExport
import PublicaPipeline
import PublicaValidation

/// What a conversion did: the counts that prove no record was lost.
struct ConversionOutcome {
    var written = 0
    var rejected = 0
    var counters: [(name: String, value: Int)] = []

    func summary(input: String, output: String, rejectsPath: String) -> String {
        var text = "publica: \(input) -> \(output): \(written) records written"
        if rejected > 0 { text += ", \(rejected) rejected (see \(rejectsPath))" }
        let extra = counters.filter { $0.name != "rows" && $0.name != "rejected" }
        if !extra.isEmpty { text += "; " + extra.map { "\($0.value) \($0.name)" }.joined(separator: ", ") }
        return text
    }
}

enum Conversion {
    /// Streams every record of `source` into `sink`, and rejects into `rejects`; publishes both.
    ///
    /// Generic over the sink so the raw fast path is specialised for each writer.
    static func run<Sink: RecordSink>(_ source: inout any RecordSource, into sink: inout Sink,
                                      rejects: inout RejectsWriter) throws -> ConversionOutcome {
        var outcome = ConversionOutcome()
        try sink.begin(schema: source.schema)
        try source.forEach(
            raw: { record in
                try sink.write(raw: record)
                outcome.written += 1
                if outcome.written & 4095 == 0 { try Termination.check() }
            },
            record: { record in
                try sink.write(record)
                outcome.written += 1
                if outcome.written & 4095 == 0 { try Termination.check() }
            },
            onReject: { rejection in
                try rejects.write(rejection)
                outcome.rejected += 1
            })
        try Termination.check()
        try sink.finish()
        try rejects.finish()
        outcome.counters = source.counters
        return outcome
    }

    /// Like ``run(_:into:rejects:)``, casting every record to `caster`'s schema: records that
    /// fail a type or constraint go to the rejects with the Frictionless error type as the rule.
    static func run<Sink: RecordSink>(_ source: inout any RecordSource, casting caster: inout RecordCaster,
                                      into sink: inout Sink, rejects: inout RejectsWriter) throws -> ConversionOutcome {
        var outcome = ConversionOutcome()
        try sink.begin(schema: caster.outputSchema)
        func handle(_ record: Record) throws {
            switch caster.cast(record) {
            case .record(let typed):
                try sink.write(typed)
                outcome.written += 1
                if outcome.written & 4095 == 0 { try Termination.check() }
            case .rejected(let rejection):
                try rejects.write(rejection)
                outcome.rejected += 1
            }
        }
        try source.forEach(raw: { try handle($0.makeRecord()) }, record: handle, onReject: { rejection in
            try rejects.write(rejection)
            outcome.rejected += 1
        })
        try Termination.check()
        try sink.finish()
        try rejects.finish()
        outcome.counters = source.counters
        return outcome
    }

    /// Writes a finished resource into `sink` and publishes it.
    static func write<Sink: RecordSink>(_ resource: Resource, into sink: inout Sink) throws {
        try sink.begin(schema: resource.schema)
        for record in resource.records { try sink.write(record) }
        try sink.finish()
    }
}
