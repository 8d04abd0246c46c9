import Foundation
import PublicaCore
import PublicaPipeline
import PublicaTestSupport
import PublicaValidation
import Testing

/// The steps' fast paths (bytes typed in place) change speed, never results: every input here
/// is run twice, once as the reader gives it and once through a source that has no raw
/// records (so every step takes its `Record` path), and the outputs and rejects must match to
/// the byte. The cells are the edge cases of each type: signs, group characters, leading and
/// trailing zeros, overflow, missing values, impossible dates, doubled quotes.
struct StepFastPathTests {
    static let schema = """
        {"fields": [
          {"name": "id", "type": "integer", "constraints": {"required": true, "unique": true}},
          {"name": "count", "type": "integer", "groupChar": ",", "constraints": {"minimum": -5}},
          {"name": "amount", "type": "number", "groupChar": ",", "constraints": {"maximum": 1000000}},
          {"name": "ratio", "type": "number"},
          {"name": "paid", "type": "boolean", "trueValues": ["Y", "true"], "falseValues": ["N"]},
          {"name": "day", "type": "date"},
          {"name": "kind", "type": "string", "constraints": {"enum": ["A", "B", "\\"Q\\""]}},
          {"name": "note", "type": "string", "constraints": {"unique": true}}
        ],
        "missingValues": ["", "-", "NA"]}
        """

    static let cells: [[String]] = [
        [
            "007", "+5", "-0", "0", "1,234", "12,,3", ",1", "1,", "9223372036854775807", "9223372036854775808",
            "-9223372036854775808", " 5", "5 ", "-", "NA", "", "1e3", "+", "--1", "0x10"
        ],
        [
            "0.50", "-0.0", ".5", "+.5", "-.5", "1.", "00.100", "1e3", "NaN", "1,234.50", "-", "+", "", "1000000.000",
            "1000000.001", "-1,000,000.5", "0,001", "12.3.4", "１２", "999999999999999999999999.000001"
        ],
        ["Y", "N", "true", "false", "y", "", "-", "NA", "TRUE", "0"],
        [
            "2024-02-29", "2023-02-29", "0000-01-01", "0001-01-01", "9999-12-31", "2024-1-01", "2024-13-01", "",
            "2024-06-30", "2024/06/30", "NA"
        ],
        ["A", "B", "\"Q\"", "C", "", "-", "a"],
        ["plain", "", "with, comma", "say \"hi\"", "줄\n바꿈", "NA", "-", "\"\"", "탭\t"]
    ]

    /// Rows drawn from the cells by a fixed generator, so a failure is reproducible.
    static func table(rows: Int, seed: UInt64) -> String {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        func quoted(_ text: String) -> String {
            text.contains(where: { ",\"\n".contains($0) })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        var text = "id,count,amount,ratio,paid,day,kind,note\n"
        for row in 0..<rows {
            // Mostly ordinary values, an edge case in about one cell of eight per column.
            func cell(_ column: Int, _ usual: String) -> String {
                next(8) == 0 ? cells[column][next(cells[column].count)] : usual
            }
            let values = [
                cell(0, String(row + 1)), cell(0, String(row % 97)), cell(1, "\(row % 1000),\(row % 10)00.25"),
                cell(1, "0.\(row)"), cell(2, row % 3 == 0 ? "N" : "Y"), cell(3, "2024-06-\(10 + row % 20)"),
                cell(4, row % 2 == 0 ? "A" : "B"), cell(5, "비고 \(row)")
            ]
            text += values.map(quoted).joined(separator: ",") + (next(20) == 0 ? ",extra" : "") + "\n"
        }
        return text
    }

    /// One engine run; with `recordsOnly` the source hides its raw records.
    func run(
        _ directory: borrowing TemporaryDirectory, steps: [any PipelineStep], format: String, recordsOnly: Bool,
        oneThread: Bool = false
    ) throws -> (String, String) {
        let name = recordsOnly ? "slow" : oneThread ? "serial" : "fast"
        let source = Pipeline.Source(name: "t", format: "csv", path: directory.path("t.csv"), options: SourceOptions())
        let pipeline = Pipeline(
            file: directory.path("t.csv"), name: name, sources: [source], steps: steps,
            outputs: [Pipeline.Output(path: directory.path("\(name).\(format)"), format: format)])
        var engine = Engine(pipeline: pipeline, folder: nil)
        engine.hashesOutputs = false
        engine.stepsOnOwnThread = !oneThread
        // A sort spills (5,000 rows of about 100 bytes into runs of 64 KiB) and merges.
        engine.memory = MemoryBudget(bytes: 64 << 10, folder: directory.url.path)
        if recordsOnly,
            case .single(let reader) = try Formats.sources.open(source.path, format: "csv", options: source.options)
        {
            engine.opened[0] = OpenedSource.single(RecordsOnly(reader))
        }
        try engine.run()
        #expect(engine.counts.balance)
        let rejects = (try? String(contentsOfFile: directory.path("\(name).rejects.ndjson"), encoding: .utf8)) ?? ""
        return (try String(contentsOfFile: directory.path("\(name).\(format)"), encoding: .utf8), rejects)
    }

    func steps(_ names: [String], schema: TableSchema) -> [any PipelineStep] {
        names.map { name -> any PipelineStep in
            switch name {
            case "cast": SchemaStep(schema: schema, converts: true)
            case "validate": SchemaStep(schema: schema, converts: false)
            case "select": SelectStep(fields: ["note", "id", "day", "amount", "paid", "kind", "count", "ratio"])
            case "head": HeadStep(count: 700)
            case "join", "join-reject", "join-drop": StepFastPathTests.join(name)
            case "aggregate":
                AggregateStep(
                    by: ["kind", "day"],
                    outputs: [
                        ("n", .count(nil)), ("notes", .countDistinct("note")), ("first", .first("note")),
                        ("low", .min("amount")), ("high", .max("ratio")), ("paid", .count("paid"))
                    ])
            case "aggregate-sums":
                AggregateStep(by: ["paid"], outputs: [("total", .sum("count")), ("mean", .mean("count"))])
            case "unpivot":
                UnpivotStep(keep: ["id", "note"], fields: ["count", "amount", "paid", "day"], key: "k", value: "v")
            case "dedupe": DedupeStep(key: ["kind", "paid", "day"])
            case "sort-w": SortStep(keys: [.init(field: "weight", descending: true), .init(field: "id")])
            case "aggregate-w":
                AggregateStep(by: ["weight"], outputs: [("n", .count(nil)), ("labels", .countDistinct("label"))])
            case "dedupe-w": DedupeStep(key: ["weight"])
            case "sort-k": SortStep(keys: [.init(field: "v", descending: true), .init(field: "k")])
            case "sort":
                SortStep(keys: [.init(field: "amount", descending: true), .init(field: "day"), .init(field: "note")])
            default: RenameStep(mapping: ["note": "memo"])
            }
        }
    }

    /// A join on `kind` with a code list of typed values (a null, an empty text, a quote, a
    /// date, a decimal): what the fast path appends as bytes must read as the record path's values.
    static func join(_ name: String) -> JoinStep {
        let codes = RecordSchema(fieldNames: ["kind", "label", "weight", "since", "active"])
        let rows: [[FieldValue]] = [
            ["A", "가", .integer(1), .date(DateValue(year: 2024, month: 6, day: 30)!), .boolean(true)],
            ["B", "", .decimal(ExactDecimal("0.50")!), .null, .boolean(false)],
            ["\"Q\"", "say \"hi\"", .integer(-7), .null, .null],
            // Numbers as a JSON lookup keeps them: as written, equal to a plain one.
            ["a", "e", .decimal(ExactDecimal(writtenAs: "1e3")!), .null, .null],
            ["-", "E", .decimal(ExactDecimal(writtenAs: "1.0E3")!), .null, .null],
            ["", "p", .decimal(ExactDecimal("1000")!), .null, .null]
        ]
        let records = rows.enumerated().map {
            Record(values: $1, provenance: Provenance(source: "codes", line: $0 + 2, recordNumber: $0 + 1))
        }
        var step = JoinStep(
            right: .resource("codes"), on: [("kind", "kind")],
            unmatched: name == "join-reject" ? .reject : name == "join-drop" ? .drop : .null)
        step.table = LookupTable(schema: codes, records: records, describedAs: "codes")
        return step
    }

    /// The join's bytes path is taken, not only equal to the record path: a matched record, an
    /// unmatched one under `null` and `drop`, and a quoted key come back from it; a rejection is
    /// left to the record path (nil), which words it.
    @Test func theJoinsBytesPathIsTaken() throws {
        var step = StepFastPathTests.join("join")
        _ = try step.prepare(RecordSchema(fieldNames: ["id", "kind"]))
        let source = SourceName("t.csv")
        func raw(_ kind: String, _ encoding: RawRecord.Encoding = .plain) throws -> RawStepResult? {
            let bytes = Array("7".utf8) + Array(kind.utf8)
            return try bytes.withUnsafeBufferPointer { buffer in
                let fields = [
                    RawRecord.Field(start: buffer.baseAddress!, count: 1, encoding: .plain),
                    RawRecord.Field(start: buffer.baseAddress! + 1, count: kind.utf8.count, encoding: encoding)
                ]
                return try fields.withUnsafeBufferPointer { fields in
                    try step.process(
                        raw: RawRecord(
                            fields: fields, place: .init(source: source, line: 2, endLine: 2, recordNumber: 1)))
                }
            }
        }
        guard case .keep(let matched)? = try raw("A") else { Issue.record("A: no bytes path"); return }
        #expect(
            matched.fields.count == 6 && matched.fields[3].encoding == .integer && matched.fields[4].encoding == .date)
        guard case .keep(let quoted)? = try raw("\"\"Q\"\"", .doubledQuotes) else {
            Issue.record("\"Q\": no bytes path")
            return
        }
        #expect(quoted.fields[3].stringValue == "-7")
        guard case .keep(let unmatched)? = try raw("Z") else { Issue.record("Z: no bytes path"); return }
        #expect(unmatched.fields[2].encoding == .null)
        var dropping = StepFastPathTests.join("join-drop")
        _ = try dropping.prepare(RecordSchema(fieldNames: ["id", "kind"]))
        step = dropping
        guard case .drop? = try raw("Z") else { Issue.record("drop: no bytes path"); return }
        var rejecting = StepFastPathTests.join("join-reject")
        _ = try rejecting.prepare(RecordSchema(fieldNames: ["id", "kind"]))
        step = rejecting
        #expect(try raw("Z") == nil)
    }

    @Test(
        arguments: [
            ["cast"], ["validate"], ["cast", "validate"], ["select", "cast", "head"], ["validate", "head", "cast"],
            ["cast", "rename"], ["join"], ["cast", "join", "head"], ["join-reject", "cast"], ["join-drop"],
            ["sort"], ["cast", "sort", "head"], ["sort", "cast"], ["validate", "sort", "join"]
        ],
        // JSON arrays render their objects as NDJSON does: two formats cover the writers' typed cells.
        ["ndjson", "csv"])
    func fastAndRecordPathsWriteTheSameBytes(steps names: [String], format: String) throws {
        let directory = try TemporaryDirectory()
        // More rows than one batch holds (4,096), so two batches are in flight.
        try StepFastPathTests.table(rows: 5_000, seed: UInt64(names.count * 31 + format.count)).write(
            toFile: directory.path("t.csv"), atomically: false, encoding: .utf8)
        try StepFastPathTests.schema.write(toFile: directory.path("schema.json"), atomically: false, encoding: .utf8)
        let schema = try TableSchema(path: directory.path("schema.json"))
        let fast = try run(directory, steps: steps(names, schema: schema), format: format, recordsOnly: false)
        let slow = try run(directory, steps: steps(names, schema: schema), format: format, recordsOnly: true)
        #expect(fast.0 == slow.0)
        #expect(fast.1 == slow.1)
        // The steps on their own thread, in batches, or on the reader's: the same bytes.
        let serial = try run(
            directory, steps: steps(names, schema: schema), format: format, recordsOnly: false, oneThread: true)
        #expect(serial.0 == fast.0 && serial.1 == fast.1)
        // Both kinds of record are there: the test sees typed values and rejects.
        #expect(fast.0.utf8.split(separator: 0x0A).count > 400)
        #expect(fast.1.utf8.split(separator: 0x0A).count > 100)
    }

    /// A key read as bytes and the same key as values land in one group, quoted text included.
    @Test func anAggregatePutsBytesAndRecordsOfOneKeyInOneGroup() throws {
        var step = AggregateStep(by: ["kind", "n"], outputs: [("count", .count(nil))])
        _ = try step.prepare(RecordSchema(fieldNames: ["kind", "n"]))
        let source = SourceName("t.csv")
        for (kind, encoding) in [("say \"\"hi\"\"", RawRecord.Encoding.doubledQuotes), ("A", .plain)] {
            let bytes = Array(kind.utf8) + Array("-12".utf8)
            let result = try bytes.withUnsafeBufferPointer { buffer in
                let fields = [
                    RawRecord.Field(start: buffer.baseAddress!, count: kind.utf8.count, encoding: encoding),
                    RawRecord.Field(start: buffer.baseAddress! + kind.utf8.count, count: 3, encoding: .integer)
                ]
                return try fields.withUnsafeBufferPointer { fields in
                    try step.process(
                        raw: RawRecord(
                            fields: fields, place: .init(source: source, line: 2, endLine: 2, recordNumber: 1)))
                }
            }
            guard case .held? = result else { Issue.record("not held from bytes"); return }
        }
        let place = Provenance(source: "t.csv", line: 3, recordNumber: 2)
        _ = try step.process(Record(values: ["A", .integer(-12)], provenance: place))
        _ = try step.process(Record(values: ["say \"hi\"", .integer(-12)], provenance: place))
        var out: [Record] = []
        try step.finish { out.append($0) }
        #expect(out.map(\.values) == [["say \"hi\"", .integer(-12), .integer(2)], ["A", .integer(-12), .integer(2)]])
    }

    /// An aggregate's groups and an unpivot's records from bytes (no record made) are those
    /// from records, typed or not, through the steps after them.
    @Test(
        arguments: [
            ["aggregate"], ["cast", "aggregate"], ["cast", "aggregate-sums"], ["sort", "aggregate"], ["unpivot"],
            ["cast", "unpivot", "head"], ["join", "unpivot", "sort-k"], ["sort", "unpivot"], ["validate", "unpivot"],
            ["dedupe"], ["cast", "dedupe"], ["sort", "dedupe", "head"], ["join", "sort-w"], ["join", "aggregate-w"],
            ["join", "dedupe-w"], ["cast", "join", "aggregate-w"]
        ])
    func reshapingStepsFromBytesAndRecordsAgree(steps names: [String]) throws {
        let directory = try TemporaryDirectory()
        try StepFastPathTests.table(rows: 5_000, seed: 17).write(
            toFile: directory.path("t.csv"), atomically: false, encoding: .utf8)
        try StepFastPathTests.schema.write(toFile: directory.path("schema.json"), atomically: false, encoding: .utf8)
        let schema = try TableSchema(path: directory.path("schema.json"))
        let fast = try run(directory, steps: steps(names, schema: schema), format: "csv", recordsOnly: false)
        let slow = try run(directory, steps: steps(names, schema: schema), format: "csv", recordsOnly: true)
        #expect(fast.0 == slow.0 && fast.1 == slow.1)
        #expect(fast.0.utf8.split(separator: 0x0A).count > 3)
    }

    /// Cases a review found: a wide row of one-byte booleans (each typed cell grows to `false`),
    /// numbers longer than an exact decimal expands (printed scaled, `1e65`), and group
    /// characters that are also a point or a sign. Fast and record paths agree, without a crash.
    @Test(arguments: ["booleans", "long numbers", "group point", "group minus"])
    func castEdgesAgree(_ name: String) throws {
        let directory = try TemporaryDirectory()
        let (schema, header, rows): (String, String, [String])
        switch name {
        case "booleans":
            let width = 1_300
            let fields = (0..<width).map { #"{"name": "b\#($0)", "type": "boolean"}"# }
            schema = #"{"fields": [\#(fields.joined(separator: ","))]}"#
            header = (0..<width).map { "b\($0)" }.joined(separator: ",")
            rows = (0..<50).map { row in (0..<width).map { ($0 + row) % 3 == 0 ? "1" : "0" }.joined(separator: ",") }
        case "long numbers":
            schema = #"{"fields": [{"name": "n", "type": "number"}, {"name": "i", "type": "integer"}]}"#
            header = "n,i"
            rows = [
                "1" + String(repeating: "0", count: 65) + ",1", "1" + String(repeating: "0", count: 65) + ".0,2",
                "0." + String(repeating: "0", count: 65) + "1,3", "12.5,4", "-0.50,+007"
            ]
        default:
            let group = name == "group point" ? "." : "-"
            schema =
                #"{"fields": [{"name": "n", "type": "number", "groupChar": "\#(group)", "constraints": {"maximum": 10}}, "#
                + #"{"name": "i", "type": "integer", "groupChar": "\#(group)"}]}"#
            header = "n,i"
            rows = ["1.5,1-0", "-5,1.000", "2,3", "12.5,-7"]
        }
        try ([header] + rows).joined(separator: "\n").write(
            toFile: directory.path("t.csv"), atomically: false, encoding: .utf8)
        try schema.write(toFile: directory.path("schema.json"), atomically: false, encoding: .utf8)
        let table = try TableSchema(path: directory.path("schema.json"))
        for format in ["ndjson", "csv"] {
            let fast = try run(directory, steps: steps(["cast"], schema: table), format: format, recordsOnly: false)
            let slow = try run(directory, steps: steps(["cast"], schema: table), format: format, recordsOnly: true)
            #expect(fast.0 == slow.0, "\(name) \(format)")
            #expect(fast.1 == slow.1, "\(name) \(format)")
        }
    }
}

/// A source that gives records only, never raw bytes: the engine's `Record` path.
struct RecordsOnly: RecordSource {
    var base: any RecordSource

    init(_ base: any RecordSource) { self.base = base }

    var resourceName: String { base.resourceName }
    var schema: RecordSchema { base.schema }
    var counters: [(name: String, value: Int)] { base.counters }

    mutating func next(onReject: (Rejection) throws -> Void) throws -> Record? {
        try base.next(onReject: onReject)
    }
}
