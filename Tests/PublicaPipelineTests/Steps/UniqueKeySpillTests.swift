import Foundation
import PublicaCore
import PublicaTestSupport
import PublicaValidation
import Testing

@testable import PublicaPipeline

/// A `cast` or `validate` whose unique values and primary keys outgrow its budget ten times
/// over: they spill, and the run writes what the in-memory run writes, with the same rejects.
struct UniqueKeySpillTests {
    /// Rows whose keys repeat before the spill, after it, and across it; `id`s written with
    /// leading zeros (`007` is `7` once cast), empty `id`s (a null in the primary key), and a
    /// type error in a row whose keys then count as seen, as they do in memory.
    static func csv(rows: Int) -> String {
        var csv = "id,region,code,serial,amount\n"
        for index in 0..<rows {
            var id = "\(index)", region = "r\(index % 3)", code = "c\(index)", serial = "\(index)"
            if index % 97 == 0 { id = "00\(index)" }
            if index % 101 == 50 {
                // The primary key of an earlier row (far back, or just before), written with zeros.
                let earlier = index > 5000 ? index - 5000 : index / 2
                (id, region) = ("000\(earlier)", "r\(earlier % 3)")
            }
            if index % 211 == 7 { id = "" }
            // A code seen long before (before the spill, for the late rows), or just before (after it).
            if index % 89 == 3 { code = index % 2 == 0 ? "c\(index / 4)" : "c\(index - 40)" }
            // The previous row's serial, written differently.
            if index % 131 == 9 { serial = "0\(index - 1)" }
            let amount = index % 173 == 0 ? "x" : "\(index % 1000).5"
            csv += "\(id),\(region),\(code),\(serial),\(amount)\n"
        }
        return csv
    }

    static func schema(primaryKey: Bool) -> TableSchema {
        var unique = Constraints()
        unique.unique = true
        return TableSchema(
            fields: [
                SchemaField(name: "id", type: .integer), SchemaField(name: "region"),
                SchemaField(name: "code", constraints: unique),
                SchemaField(name: "serial", type: .integer, constraints: unique),
                SchemaField(name: "amount", type: .number)
            ], primaryKey: primaryKey ? ["id", "region"] : [])
    }

    struct Run {
        var output: String
        var rejects: [String]
        var counts: [Engine.StepCount]
        var spilledKeys: Int
    }

    /// Runs the schema step over `input` under `memory`, spilling into `directory`.
    static func run(
        _ directory: borrowing TemporaryDirectory, _ name: String, schema: TableSchema, converts: Bool,
        memory: MemoryBudget, input: String = "u.csv", onError: [String: SchemaStep.OnError] = [:]
    ) throws -> Run {
        let source = Pipeline.Source(
            name: "u", format: "csv", path: directory.path(input), options: SourceOptions())
        let pipeline = Pipeline(
            file: directory.path("p.yaml"), name: name, sources: [source],
            steps: [SchemaStep(schema: schema, converts: converts, onError: onError)],
            outputs: [Pipeline.Output(path: directory.path("\(name).csv"), format: "csv")])
        var engine = Engine(pipeline: pipeline, folder: nil)
        engine.memory = memory
        try engine.run()
        #expect(engine.counts.balance)
        let rejects = try String(contentsOfFile: engine.rejectsPath, encoding: .utf8)
        return Run(
            output: try String(contentsOfFile: directory.path("\(name).csv"), encoding: .utf8),
            rejects: rejects.split(separator: "\n").map(String.init).sorted(), counts: engine.stepCounts,
            spilledKeys: (engine.steps[0] as! SchemaStep).spilledKeys)
    }

    static func firstDifference(_ a: String, _ b: String) -> String {
        let pair = zip(a.split(separator: "\n"), b.split(separator: "\n")).first { $0 != $1 }
        return pair.map { "\($0.0) / \($0.1)" } ?? "one is longer"
    }

    /// With a primary key every record takes the record path; without one, the unique fields
    /// are checked on the bytes (the fast path), spilled or not.
    @Test(arguments: [false, true], [false, true])
    func aSchemaStepTenTimesItsBudgetSpillsAndGivesTheInMemoryResult(primaryKey: Bool, converts: Bool) throws {
        let directory = try TemporaryDirectory()
        try UniqueKeySpillTests.csv(rows: 30_000).write(
            toFile: directory.path("u.csv"), atomically: false, encoding: .utf8)
        let schema = UniqueKeySpillTests.schema(primaryKey: primaryKey)
        let small = try UniqueKeySpillTests.run(
            directory, "small", schema: schema, converts: converts,
            memory: MemoryBudget(bytes: 128 << 10, folder: directory.url.path))
        let large = try UniqueKeySpillTests.run(
            directory, "large", schema: schema, converts: converts, memory: MemoryBudget())
        #expect(large.spilledKeys == 0)
        #expect(small.spilledKeys > 0 && small.spilledKeys < 10_000)
        // Compared first, so a failure names the first difference rather than printing both files.
        let sameOutput = small.output == large.output
        #expect(sameOutput, "first difference: \(UniqueKeySpillTests.firstDifference(small.output, large.output))")
        let sameRejects = small.rejects == large.rejects
        #expect(sameRejects, "rejects: \(small.rejects.count) spilled, \(large.rejects.count) in memory")
        #expect(small.counts.map(\.input) == large.counts.map(\.input))
        #expect(small.counts.map(\.output) == large.counts.map(\.output))
        #expect(small.counts.map(\.rejected) == large.counts.map(\.rejected))
        // Each kind of repeat was found: a code, a serial written differently, a primary key.
        let rules = Set(
            large.rejects.compactMap { line in
                ["unique-error", "primary-key", "type-error"].first { line.contains("\"\($0)\"") }
            })
        #expect(rules == (primaryKey ? ["unique-error", "primary-key", "type-error"] : ["unique-error", "type-error"]))
        #expect(large.rejects.count > 600)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter {
                $0.hasPrefix(".publica-spill")
            }.isEmpty)
        #expect(SpillTests.openFiles(in: directory.url.path) == 0)
    }

    /// `on_error: null` nulls a bad amount and checks the record again: its keys are not
    /// repeats of themselves, so it is written as a record with an empty amount would be, in
    /// memory and spilled.
    @Test(arguments: [false, true])
    func aNulledFieldLeavesTheRecordsKeysItsOwn(spills: Bool) throws {
        let directory = try TemporaryDirectory()
        let csv = UniqueKeySpillTests.csv(rows: 30_000)
        try csv.write(toFile: directory.path("u.csv"), atomically: false, encoding: .utf8)
        try csv.replacingOccurrences(of: ",x\n", with: ",\n").write(
            toFile: directory.path("empty.csv"), atomically: false, encoding: .utf8)
        let schema = UniqueKeySpillTests.schema(primaryKey: true)
        let memory = spills ? MemoryBudget(bytes: 128 << 10, folder: directory.url.path) : MemoryBudget()
        let nulled = try UniqueKeySpillTests.run(
            directory, "nulled", schema: schema, converts: true, memory: memory, onError: ["amount": .null])
        let empty = try UniqueKeySpillTests.run(
            directory, "empty", schema: schema, converts: true, memory: memory, input: "empty.csv")
        #expect((nulled.spilledKeys > 0) == spills)
        let same = nulled.output == empty.output
        #expect(same, "first difference: \(UniqueKeySpillTests.firstDifference(nulled.output, empty.output))")
        #expect(nulled.rejects.count == empty.rejects.count)
        #expect(nulled.output.contains(",\r\n") || nulled.output.contains(",\n"))
    }

    /// A schema without unique fields or a primary key holds nothing, so it takes no share of the
    /// budget from a step that does.
    @Test func aSchemaWithoutKeysNeedsNoMemory() {
        #expect(!SchemaStep(schema: TableSchema(fields: [SchemaField(name: "a")]), converts: true).needsMemory)
        #expect(SchemaStep(schema: UniqueKeySpillTests.schema(primaryKey: false), converts: true).needsMemory)
        #expect(DedupeStep(key: ["a"]).needsMemory)
    }
}

extension UniqueKeySpillTests {
    /// `on_error: fail` on a repeated key stops the run with the message the in-memory run
    /// gives, naming the first repeat, though it is found at the end.
    @Test func aFailingRepeatFoundAtTheEndStopsTheRunAsInMemory() throws {
        let directory = try TemporaryDirectory()
        var csv = "id,region,code,serial,amount\n"
        for index in 0..<20_000 { csv += "\(index),r,c\(index == 15_000 ? 100 : index),\(index),\(index).5\n" }
        try csv.write(toFile: directory.path("u.csv"), atomically: false, encoding: .utf8)
        func failure(_ memory: MemoryBudget) throws -> String {
            let source = Pipeline.Source(
                name: "u", format: "csv", path: directory.path("u.csv"), options: SourceOptions())
            var step = SchemaStep(schema: UniqueKeySpillTests.schema(primaryKey: false), converts: true)
            step.onError = ["code": .fail]
            let pipeline = Pipeline(
                file: directory.path("p.yaml"), name: "f", sources: [source], steps: [step],
                outputs: [Pipeline.Output(path: directory.path("f.csv"), format: "csv")])
            var engine = Engine(pipeline: pipeline, folder: nil)
            engine.memory = memory
            do {
                try engine.run()
            } catch let error as PublicaError {
                return error.description
            }
            return "no failure"
        }
        // The repeated code (line 15002) comes long after the spill at 128 KiB.
        let inMemory = try failure(MemoryBudget())
        #expect(inMemory.contains("unique constraint violation in field \"code\"") && inMemory.contains("15002"))
        #expect(try failure(MemoryBudget(bytes: 128 << 10, folder: directory.url.path)) == inMemory)
        #expect(SpillTests.openFiles(in: directory.url.path) == 0)
    }
}
