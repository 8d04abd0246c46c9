import Foundation
import PublicaCore
import PublicaPipeline
import PublicaTestSupport
import Testing

@testable import PublicaPipeline

/// Records that spill: the binary form, the external sort, and that no spill file outlives its step.
struct SpillTests {
    static let place = Provenance(source: "in/data.csv", line: 7, endLine: 9, recordNumber: 5)

    static let everyKind: [FieldValue] = [
        .null, .text(""), .text("비고 \u{1F600}"), .integer(-1 << 62), .integer(42),
        .decimal(ExactDecimal("-12.500")!), .decimal(ExactDecimal(writtenAs: "1.50E+2")!),
        .decimal(ExactDecimal("1e9000")!), .boolean(true), .boolean(false),
        .date(DateValue(year: 2024, month: 2, day: 29)!), .date(DateValue(year: 2024, month: 6)!),
        .date(DateValue(year: 1999)!),
        .dateTime(DateTimeValue(date: DateValue(year: 2024, month: 6, day: 1)!, hour: 23, minute: 59, second: 60)!),
        .dateTime(
            DateTimeValue(
                date: DateValue(year: 2024, month: 6, day: 1)!, hour: 1, minute: 2, second: 3, fraction: "250",
                utcOffsetMinutes: -570)!),
        .dateTime(
            DateTimeValue(date: DateValue(year: 1, month: 1, day: 1)!, hour: 0, minute: 0, utcOffsetMinutes: 0)!),
        .list([.integer(1), .text("a"), .list([])]), .object([(key: "b", value: .null), (key: "a", value: 1)])
    ]

    @Test func everyValueAndTheProvenanceComeBackAsWritten() throws {
        let directory = try TemporaryDirectory()
        let file = try SpillFile(in: directory.url.path)
        var writer = SpillWriter(file: file, bufferSize: 64)
        let held = HeldRecords()
        let records = (0..<300).map { index in
            Record(
                values: SpillTests.everyKind + [.text(String(repeating: "x", count: index * 7))],
                provenance: index == 0 ? SpillTests.place : Provenance(source: "-", line: index, recordNumber: index))
        }
        for (index, record) in records.enumerated() {
            let key = Array("k\(index)".utf8)
            try key.withUnsafeBytes { key in
                try held.payload(record).withUnsafeBytes { try writer.write(key: key, payload: $0) }
            }
        }
        let run = try writer.finish()
        let reader = SpillReader(run, bufferSize: 100)
        var back: [Record] = []
        while let (key, payload) = try reader.next() {
            #expect(Array(key) == Array("k\(back.count)".utf8))
            try held.read(
                payload, raw: { _ in Issue.record("a record came back as bytes") }, record: { back.append($0) })
        }
        #expect(back == records)
        #expect(back[0].provenance == SpillTests.place)
        if case .decimal(let written) = back[0].values[6] { #expect(written.description == "1.50E+2") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
    }

    /// The key bytes sort as ValueOrder does, missing values last in either direction, and a
    /// field read as bytes gives the key its value gives.
    @Test func sortKeysOrderAsTheValuesDo() throws {
        let values: [FieldValue] =
            SpillTests.everyKind + [
                .decimal(ExactDecimal("0.001")!), .decimal(ExactDecimal("-0.001")!), .decimal(ExactDecimal("1e-9000")!),
                .decimal(ExactDecimal("-1e9000")!), .integer(0), .integer(-1), .integer(10),
                .decimal(ExactDecimal("10.0")!),
                .integer(Int64.min), .integer(Int64.max), .text("a\u{0}b"), .text("a"), .text("ab"), .text("\u{0}"),
                .date(DateValue(year: 2024)!), .date(DateValue(year: 2024, month: 1, day: 1)!)
            ]
        func key(_ value: FieldValue, _ descending: Bool) -> [UInt8] {
            var key = SortKey()
            key.append(value, descending: descending)
            return key.bytes
        }
        for a in values {
            for b in values {
                let expected: Int =
                    switch (ValueOrder.isMissing(a), ValueOrder.isMissing(b)) {
                    case (true, true): 0
                    case (true, false): 1
                    case (false, true): -1
                    case (false, false): ValueOrder.compare(a, b)
                    }
                let ascending =
                    key(a, false).lexicographicallyPrecedes(key(b, false)) ? -1 : key(a, false) == key(b, false) ? 0 : 1
                let descending =
                    key(a, true).lexicographicallyPrecedes(key(b, true)) ? -1 : key(a, true) == key(b, true) ? 0 : 1
                #expect(ascending == expected, "\(a) vs \(b)")
                let reversed = ValueOrder.isMissing(a) || ValueOrder.isMissing(b) ? expected : -expected
                #expect(descending == reversed, "\(a) vs \(b), descending")
            }
        }
        let typed: [(String, RawRecord.Encoding, FieldValue)] = [
            ("-12.5", .decimal, .decimal(ExactDecimal("-12.50")!)), ("0.25", .decimal, .decimal(ExactDecimal("0.25")!)),
            ("120", .integer, .integer(120)), ("-9", .integer, .integer(-9)), ("true", .boolean, .boolean(true)),
            ("2024-06-30", .date, .date(DateValue(year: 2024, month: 6, day: 30)!)),
            ("say \"\"hi\"\"", .doubledQuotes, "say \"hi\""),
            ("", .plain, .null), ("", .null, .null), ("비고", .plain, "비고")
        ]
        for (text, encoding, value) in typed {
            var raw = SortKey()
            var bytes = Array(text.utf8)
            bytes.withUnsafeMutableBufferPointer { buffer in
                let start = UnsafePointer(buffer.baseAddress ?? UnsafeMutablePointer(mutating: [UInt8(0)]))
                raw.append(
                    raw: RawRecord.Field(start: start, count: buffer.count, encoding: encoding), descending: true)
            }
            #expect(raw.bytes == key(value, true), "\(text)")
        }
    }

    /// Records from the fast path are held as bytes and come back as bytes, spilled or not, in
    /// order, with their places; a record among them keeps its own form.
    @Test(arguments: [64 << 10, 1 << 30])
    func aSortHoldsBytesAndGivesThemBackAsBytes(budget: Int) throws {
        let directory = try TemporaryDirectory()
        var step = SortStep(keys: [SortStep.Key(field: "group"), SortStep.Key(field: "seq", descending: true)])
        step.use(MemoryBudget(bytes: budget, folder: directory.url.path))
        _ = try step.prepare(RecordSchema(fieldNames: ["group", "seq"]))
        let source = SourceName("raw.csv")
        for index in 0..<5_000 {
            let bytes = Array("g\(index % 7)".utf8) + Array(String(index).utf8)
            let result = try bytes.withUnsafeBufferPointer { buffer in
                let fields = [
                    RawRecord.Field(start: buffer.baseAddress!, count: 2, encoding: .plain),
                    RawRecord.Field(start: buffer.baseAddress! + 2, count: buffer.count - 2, encoding: .integer)
                ]
                return try fields.withUnsafeBufferPointer { fields in
                    try step.process(
                        raw: RawRecord(
                            fields: fields,
                            place: .init(source: source, line: index + 2, endLine: index + 2, recordNumber: index + 1)))
                }
            }
            guard case .held? = result else { Issue.record("not held as bytes"); return }
        }
        #expect(try step.process(Record(values: ["g3", .integer(2_500)], provenance: SpillTests.place)).isHeld)
        var out: [(String, Int)] = []
        var records = 0
        try step.finish(
            raw: { record in
                out.append((record.fields[0].stringValue, record.place.line))
                #expect(record.place.source.path == "raw.csv" && record.fields[1].encoding == .integer)
            },
            records: { record in
                records += 1
                out.append((record.values[0].string!, -1))
            })
        #expect(records == 1 && out.count == 5_001)
        #expect(out.first! == ("g0", 4_998 + 2) && out.last! == ("g6", 6 + 2))
        // The record goes among the bytes where its key puts it: g3's seq 2,502, it, then 2,495.
        let at = out.firstIndex { $0.1 == -1 }!
        #expect(out[at - 1] == ("g3", 2_502 + 2) && out[at + 1] == ("g3", 2_495 + 2))
        #expect((step.spilledRuns > 0) == (budget < 1 << 20))
    }

    /// A few MB of records, with many equal keys and missing values.
    static func manyRecords(_ count: Int) -> [Record] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        return (0..<count).map { index in
            let group: FieldValue = next(10) == 0 ? .null : .text("g\(next(50))")
            let amount: FieldValue =
                next(7) == 0
                ? .text("") : next(2) == 0 ? .integer(Int64(next(1000))) : .decimal(ExactDecimal("\(next(1000)).5")!)
            return Record(
                values: [group, amount, .integer(Int64(index)), .text(String(repeating: "비고", count: next(20)))],
                provenance: Provenance(source: "big.csv", line: index + 2, recordNumber: index + 1))
        }
    }

    static let schema = RecordSchema(fieldNames: ["group", "amount", "seq", "note"])

    static func sorted(_ records: [Record], budget: MemoryBudget) throws -> (records: [Record], step: SortStep) {
        var step = SortStep(keys: [SortStep.Key(field: "group"), SortStep.Key(field: "amount", descending: true)])
        step.use(budget)
        _ = try step.prepare(schema)
        for record in records { #expect(try step.process(record).isHeld) }
        var out: [Record] = []
        try step.finish { out.append($0) }
        return (out, step)
    }

    @Test func aSortTenTimesItsBudgetSpillsAndGivesTheInMemoryResult() throws {
        let directory = try TemporaryDirectory()
        let records = SpillTests.manyRecords(40_000)
        let size = records.reduce(0) { $0 + RecordSpill.estimatedSize($1) }
        let budget = MemoryBudget(bytes: 64 << 10, folder: directory.url.path)
        #expect(size >= 10 * budget.bytes)
        let (inMemory, memoryStep) = try SpillTests.sorted(records, budget: MemoryBudget(bytes: 1 << 30))
        #expect(memoryStep.spilledRuns == 0)
        let (spilled, step) = try SpillTests.sorted(records, budget: budget)
        #expect(step.spilledRuns > 10)
        #expect(step.spilledBytes > 0)
        #expect(spilled == inMemory)
        #expect(inMemory.count == records.count)
        // Stable: within equal keys, input order (the seq field) rises.
        for (a, b) in zip(spilled, spilled.dropFirst())
        where a.values[0] == b.values[0] && a.values[1] == b.values[1] {
            #expect(a.values[2].integerValue! < b.values[2].integerValue!)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
        #expect(SpillTests.openFiles(in: directory.url.path) == 0)
    }

    static func aggregated(_ records: [Record], budget: MemoryBudget) throws -> (records: [Record], step: AggregateStep)
    {
        var step = AggregateStep(
            by: ["seq"],
            outputs: [
                ("n", .count(nil)), ("amounts", .count("amount")), ("total", .sum("amount")), ("low", .min("amount")),
                ("high", .max("amount")), ("avg", .mean("amount")), ("first", .first("group")),
                ("last", .last("group")),
                ("groups", .countDistinct("group"))
            ])
        step.use(budget)
        _ = try step.prepare(schema)
        // Group by seq modulo 7919 (a prime): thousands of groups, each seen again after every spill.
        for record in records {
            var keyed = record
            keyed.values[2] = .integer(keyed.values[2].integerValue! % 7919)
            #expect(try step.process(keyed).isHeld)
        }
        var out: [Record] = []
        try step.finish { out.append($0) }
        return (out, step)
    }

    @Test func anAggregateWithMoreGroupsThanItsBudgetSpillsAndGivesTheInMemoryResult() throws {
        let directory = try TemporaryDirectory()
        let records = SpillTests.manyRecords(40_000)
        let (inMemory, memoryStep) = try SpillTests.aggregated(records, budget: MemoryBudget(bytes: 1 << 30))
        #expect(memoryStep.spilledGroups == 0)
        let (spilled, step) = try SpillTests.aggregated(
            records, budget: MemoryBudget(bytes: 64 << 10, folder: directory.url.path))
        #expect(step.spilledGroups > 7919)
        #expect(inMemory.count == 7919)
        let differing = zip(spilled, inMemory).first { $0 != $1 }
        #expect(differing == nil, "\(differing.map { "\($0.0.values) != \($0.1.values)" } ?? "")")
        // First-appearance order: group 0 first, then 1, 2…
        #expect(spilled.prefix(3).map(\.values[0]) == [0, 1, 2])
        #expect(SpillTests.openFiles(in: directory.url.path) == 0)
    }

    /// A dedupe whose keys outgrow a budget ten times over spills them, holds what follows, and
    /// writes what the in-memory dedupe writes (the first record of each key, in input order),
    /// with the same counts, from bytes and from records.
    @Test(arguments: [false, true])
    func aDedupeTenTimesItsBudgetSpillsAndGivesTheInMemoryResult(recordsOnly: Bool) throws {
        let directory = try TemporaryDirectory()
        var csv = "id,key,note\n"
        for index in 0..<60_000 {
            // Keys repeat near and far (a key first seen before the spill comes back after it).
            let key = index % 3 == 0 ? index / 3 : (index * 7919) % 20_000
            csv += "\(index),k\(key),\(index % 5 == 0 ? "\"a \"\"quoted\"\" note\"" : "n\(index % 2)")\n"
        }
        try csv.write(toFile: directory.path("d.csv"), atomically: false, encoding: .utf8)
        func run(_ name: String, _ memory: MemoryBudget) throws -> (String, [Engine.StepCount], DedupeStep) {
            let source = Pipeline.Source(
                name: "d", format: "csv", path: directory.path("d.csv"), options: SourceOptions())
            let pipeline = Pipeline(
                file: directory.path("p.yaml"), name: name, sources: [source],
                steps: [DedupeStep(key: ["key", "note"])],
                outputs: [Pipeline.Output(path: directory.path("\(name).csv"), format: "csv")])
            var engine = Engine(pipeline: pipeline, folder: nil)
            engine.memory = memory
            if recordsOnly,
                case .single(let reader) = try Formats.sources.open(source.path, format: "csv", options: source.options)
            {
                engine.opened[0] = OpenedSource.single(RecordsOnly(reader))
            }
            try engine.run()
            #expect(engine.counts.balance)
            return (
                try String(contentsOfFile: directory.path("\(name).csv"), encoding: .utf8), engine.stepCounts,
                engine.steps[0] as! DedupeStep
            )
        }
        let (small, smallCounts, smallStep) = try run(
            "small", MemoryBudget(bytes: 128 << 10, folder: directory.url.path))
        let (large, largeCounts, largeStep) = try run("large", MemoryBudget())
        #expect(largeStep.spilledKeys == 0)
        #expect(smallStep.spilledKeys > 0)
        #expect(small == large)
        #expect(smallCounts.map(\.input) == largeCounts.map(\.input))
        #expect(smallCounts.map(\.output) == largeCounts.map(\.output))
        #expect(smallCounts.map(\.dropped) == largeCounts.map(\.dropped))
        #expect(largeCounts[0].dropped > 20_000 && smallCounts[0].reshaped == 0)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter {
                $0.hasPrefix(".publica-spill")
            }.isEmpty)
        #expect(SpillTests.openFiles(in: directory.url.path) == 0)
    }

    /// A sort that spilled, then a step after it that fails while the sort gives its records:
    /// the run throws, and neither a file nor an open descriptor is left in the spill folder.
    @Test func aFailureAfterASortThatSpilledLeavesNothingBehind() throws {
        let directory = try TemporaryDirectory()
        let spill = directory.path("spill")
        try FileManager.default.createDirectory(atPath: spill, withIntermediateDirectories: true)
        var csv = "id,group,note\n"
        for index in 0..<30_000 { csv += "\(index),g\(index % 101),\(String(repeating: "n", count: index % 50))\n" }
        try csv.write(toFile: directory.path("big.csv"), atomically: false, encoding: .utf8)
        let seen = Box()
        try SpillTests.runFailing(directory, spill: spill, seen: seen)
        #expect(seen.openWhileRunning > 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: spill).isEmpty)
        #expect(SpillTests.openFiles(in: spill) == 0)
        #expect(!FileManager.default.fileExists(atPath: directory.path("out.ndjson")))
    }

    final class Box: @unchecked Sendable { var openWhileRunning = 0 }

    /// Fails on its 1000th record, noting how many spill files were open then.
    struct Failing: PipelineStep {
        let name = "failing"
        let spill: String
        let seen: Box
        var count = 0
        mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema { schema }
        mutating func process(_ record: Record) throws -> StepResult {
            count += 1
            guard count == 1000 else { return .keep(record) }
            seen.openWhileRunning = SpillTests.openFiles(in: spill)
            throw PublicaError(.data, "failing: on purpose", at: record.provenance.location())
        }
    }

    /// In a function of its own, so the engine (and the steps it holds) is gone when it returns.
    static func runFailing(_ directory: borrowing TemporaryDirectory, spill: String, seen: Box) throws {
        let source = Pipeline.Source(
            name: "big", format: "csv", path: directory.path("big.csv"), options: SourceOptions())
        let pipeline = Pipeline(
            file: directory.path("p.yaml"), name: "big", sources: [source],
            steps: [
                SortStep(keys: [SortStep.Key(field: "group", descending: true)]), Failing(spill: spill, seen: seen)
            ],
            outputs: [Pipeline.Output(path: directory.path("out.ndjson"), format: "ndjson")])
        var engine = Engine(pipeline: pipeline, folder: nil)
        engine.memory = MemoryBudget(bytes: 64 << 10, folder: spill)
        #expect(throws: PublicaError.self) { try engine.run() }
    }

    /// The engine's `memory` reaches the steps: an aggregate through a run spills under a small
    /// budget and writes the same file as with the default one.
    @Test func anAggregateRunUnderASmallBudgetWritesWhatTheDefaultWrites() throws {
        let directory = try TemporaryDirectory()
        var csv = "id,group,amount\n"
        for index in 0..<20_000 { csv += "\(index),g\(index * 7919 % 5003),\(index % 1000).\(index % 10)\n" }
        try csv.write(toFile: directory.path("g.csv"), atomically: false, encoding: .utf8)
        func run(_ name: String, _ memory: MemoryBudget) throws -> String {
            let source = Pipeline.Source(
                name: "g", format: "csv", path: directory.path("g.csv"), options: SourceOptions())
            let step = AggregateStep(
                by: ["group"], outputs: [("n", .count(nil)), ("total", .sum("amount")), ("avg", .mean("amount"))])
            let pipeline = Pipeline(
                file: directory.path("p.yaml"), name: name, sources: [source], steps: [step],
                outputs: [Pipeline.Output(path: directory.path("\(name).csv"), format: "csv")])
            var engine = Engine(pipeline: pipeline, folder: nil)
            engine.memory = memory
            try engine.run()
            #expect(engine.counts.written == 5003 && engine.counts.balance)
            return try String(contentsOfFile: directory.path("\(name).csv"), encoding: .utf8)
        }
        let small = try run("small", MemoryBudget(bytes: 64 << 10, folder: directory.url.path))
        #expect(try small == run("default", MemoryBudget()))
        #expect(small.hasPrefix("group,n,total,avg\r\ng0,4,"))
    }

    @Test func typedValuesCompareByValueAndKindsInAFixedOrder() {
        let date = { (y: Int, m: Int, d: Int) in FieldValue.date(DateValue(year: y, month: m, day: d)!) }
        let time = { (hour: Int, offset: Int?) in
            FieldValue.dateTime(
                DateTimeValue(
                    date: DateValue(year: 2024, month: 1, day: 1)!, hour: hour, minute: 0, utcOffsetMinutes: offset)!)
        }
        let ordered: [FieldValue] = [
            .integer(-3), .decimal(ExactDecimal("-2.5")!), .integer(2), .decimal(ExactDecimal("10")!),
            .boolean(false), .boolean(true), date(2023, 12, 31), date(2024, 1, 1), time(10, 0), time(12, nil),
            time(12, -180), .text("Z"), .text("a"), .text("é"), .list([.text("x")])
        ]
        for (index, value) in ordered.enumerated() {
            for (other, later) in ordered.enumerated() {
                let order = ValueOrder.compare(value, later)
                #expect(order == (index < other ? -1 : index == other ? 0 : 1), "\(value) vs \(later)")
            }
        }
        #expect(ValueOrder.compare(.decimal(ExactDecimal("1.50")!), .integer(1)) == 1)
        #expect(ValueOrder.compare(.decimal(ExactDecimal("1.0")!), .integer(1)) == 0)
    }

    /// Descriptors this process holds on files in `folder` (unnamed ones included).
    static func openFiles(in folder: String) -> Int {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.filter { fd in
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + fd)) ?? ""
            return target.hasPrefix(folder + "/")
        }.count
    }
}

extension StepResult {
    var isHeld: Bool { if case .held = self { true } else { false } }
}

extension FieldValue {
    var integerValue: Int64? { if case .integer(let number) = self { number } else { nil } }
}
