import PublicaCore
import PublicaExport
import PublicaPipeline
import PublicaValidation

/// What a conversion did: the counts that prove no record was lost.
struct ConversionOutcome {
    var written = 0
    var rejected = 0
    var counters: [(name: String, value: Int)] = []

    /// Counts a written record; every 4096th, a termination signal (SIGTERM, Ctrl-C) stops the run.
    @inline(__always)
    mutating func countWritten() throws {
        written += 1
        if written & 4095 == 0 { try Termination.check() }
    }

    func summary(input: String, output: String, rejectsPath: String) -> String {
        var text = "publica: \(input) -> \(output): \(counted(written, "record")) written"
        if rejected > 0 { text += ", \(rejected) rejected (see \(rejectsPath))" }
        let extra = counters.filter { $0.name != "rows" && $0.name != "rejected" }
        var parts = extra.filter { !$0.name.hasPrefix("paging ") }.map { counter in
            "\(counter.value) " + (counter.value == 1 && counter.name.hasSuffix("s") ? String(counter.name.dropLast()) : counter.name)
        }
        let paging = extra.filter { $0.name.hasPrefix("paging ") }.map { "\($0.name.dropFirst("paging ".count)) \($0.value)" }
        if !paging.isEmpty { parts.append("paging: " + paging.joined(separator: ", ")) }
        if !parts.isEmpty { text += "; " + parts.joined(separator: ", ") }
        return text
    }
}

/// `1 record`, `2 records`.
func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
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
                try outcome.countWritten()
            },
            record: { record in
                try sink.write(record)
                try outcome.countWritten()
            },
            onReject: { rejection in
                try rejects.write(rejection)
                outcome.rejected += 1
            })
        try finish(&sink, &rejects, source: source, &outcome)
        return outcome
    }

    /// Like ``run(_:into:rejects:)`` for NDJSON, through the source's fused path when it has one
    /// (a CSV reader parses and escapes plain rows in one pass).
    static func runFused(_ source: inout any RecordSource, into sink: inout NDJSONWriter,
                         rejects: inout RejectsWriter) throws -> ConversionOutcome {
        var outcome = ConversionOutcome()
        try sink.begin(schema: source.schema)
        let fused = try sink.write(renderedBy: &source, onReject: { rejection in
            try rejects.write(rejection)
            outcome.rejected += 1
        }, progress: { records in
            outcome.written += records
            try Termination.check()
        })
        guard fused else { return try run(&source, into: &sink, rejects: &rejects) }  // begins again: harmless
        try finish(&sink, &rejects, source: source, &outcome)
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
                try outcome.countWritten()
            case .rejected(let rejection):
                try rejects.write(rejection)
                outcome.rejected += 1
            }
        }
        try source.forEach(raw: { try handle($0.makeRecord()) }, record: handle, onReject: { rejection in
            try rejects.write(rejection)
            outcome.rejected += 1
        })
        try finish(&sink, &rejects, source: source, &outcome)
        return outcome
    }

    /// Publishes the output and the rejects, unless a termination signal came in the meantime.
    private static func finish<Sink: RecordSink>(_ sink: inout Sink, _ rejects: inout RejectsWriter,
                                                 source: any RecordSource, _ outcome: inout ConversionOutcome) throws {
        try Termination.check()
        try sink.finish()
        try rejects.finish()
        outcome.counters = source.counters
    }

    /// Writes a finished resource into `sink` and publishes it.
    static func write<Sink: RecordSink>(_ resource: Resource, into sink: inout Sink) throws {
        try sink.begin(schema: resource.schema)
        for record in resource.records { try sink.write(record) }
        try sink.finish()
    }
}
