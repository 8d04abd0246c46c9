import Foundation
import PublicaCore
import PublicaPipeline
import PublicaTestSupport
import Testing

@testable import PublicaPipeline

/// A join whose right side is ten times its memory share and more: sorted into a spill file,
/// merged with the held records at the end, and written as the in-memory join writes.
struct JoinSpillTests {
    /// What one run wrote: the output's bytes, the rejects' lines, the step's counts, the step.
    struct Outcome {
        var output: String
        var rejects: [String]
        var counts: [Engine.StepCount]
        var step: JoinStep
    }

    /// 30,000 records whose codes repeat, miss the right side, or are empty; quoted notes.
    static func left() -> String {
        var csv = "id,code,note\n"
        for index in 0..<30_000 {
            let code = index % 101 == 0 ? "" : "c\((index * 7919) % 24_000)"
            csv += "\(index),\(code),\(index % 5 == 0 ? "\"a \"\"quoted\"\" note\"" : "n\(index % 3)")\n"
        }
        return csv
    }

    /// 20,000 codes (c0 to c19999, scrambled), a label and a number each; `extra` lines after.
    static func codes(extra: String = "") -> String {
        var csv = "code,label,size\n"
        for index in 0..<20_000 {
            let code = (index * 7) % 20_000
            csv += "c\(code),\"이름 \(code), 비고\",\(code % 13 == 0 ? "" : String(code * 3))\n"
        }
        return csv + extra
    }

    /// Runs `left.csv` through `step` into `NAME.csv` within `memory`; from records only, if asked.
    static func run(
        _ step: JoinStep, in folder: String, _ name: String, _ memory: MemoryBudget,
        recordsOnly: Bool = false
    ) throws -> Outcome {
        let source = Pipeline.Source(name: "left", format: "csv", path: folder + "/left.csv", options: SourceOptions())
        let pipeline = Pipeline(
            file: folder + "/p.yaml", name: name, sources: [source], steps: [step],
            outputs: [Pipeline.Output(path: folder + "/\(name).csv", format: "csv")])
        var engine = Engine(pipeline: pipeline, folder: nil)
        engine.memory = memory
        if recordsOnly,
            case .single(let reader) = try Formats.sources.open(source.path, format: "csv", options: source.options)
        {
            engine.opened[0] = OpenedSource.single(RecordsOnly(reader))
        }
        try engine.run()
        #expect(engine.counts.balance)
        let rejects = (try? String(contentsOfFile: folder + "/\(name).rejects.ndjson", encoding: .utf8)) ?? ""
        return Outcome(
            output: try String(contentsOfFile: folder + "/\(name).csv", encoding: .utf8),
            rejects: rejects.split(separator: "\n").map(String.init), counts: engine.stepCounts,
            step: engine.steps[0] as! JoinStep)
    }

    static func small(_ folder: String) -> MemoryBudget {
        MemoryBudget(bytes: 128 << 10, folder: folder)
    }

    /// No spill file left, none open.
    static func expectNothingLeft(in folder: String) throws {
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".publica-spill") }
                .isEmpty)
        #expect(SpillTests.openFiles(in: folder) == 0)
    }

    static func expectSame(_ spilled: Outcome, _ inMemory: Outcome) {
        #expect(inMemory.step.spilledRightRecords == 0)
        #expect(spilled.step.spilledRightRecords == 20_000)
        #expect(spilled.output == inMemory.output)
        #expect(spilled.rejects.sorted() == inMemory.rejects.sorted())
        #expect(spilled.counts.map(\.input) == inMemory.counts.map(\.input))
        #expect(spilled.counts.map(\.output) == inMemory.counts.map(\.output))
        #expect(spilled.counts.map(\.dropped) == inMemory.counts.map(\.dropped))
        #expect(spilled.counts.map(\.rejected) == inMemory.counts.map(\.rejected))
    }

    /// A code list ten times the share, from bytes and from records, by each unmatched rule.
    @Test(arguments: [JoinStep.Unmatched.null, .reject, .drop], [false, true])
    func aCodeListTenTimesTheBudgetJoinsAsInMemory(unmatched: JoinStep.Unmatched, recordsOnly: Bool) throws {
        let directory = try TemporaryDirectory()
        let folder = directory.url.path
        try JoinSpillTests.left().write(toFile: directory.path("left.csv"), atomically: false, encoding: .utf8)
        try JoinSpillTests.codes().write(toFile: directory.path("codes.csv"), atomically: false, encoding: .utf8)
        let step = JoinStep(
            right: .file(
                Pipeline.Source(
                    name: "codes", format: "csv", path: directory.path("codes.csv"), options: SourceOptions())),
            on: [("code", "code")], unmatched: unmatched)
        let spilled = try JoinSpillTests.run(
            step, in: folder, "small", JoinSpillTests.small(folder), recordsOnly: recordsOnly)
        let inMemory = try JoinSpillTests.run(step, in: folder, "large", MemoryBudget(), recordsOnly: recordsOnly)
        JoinSpillTests.expectSame(spilled, inMemory)
        #expect(spilled.output.contains("\"이름 19, 비고\",57"))
        switch unmatched {
        case .null: #expect(inMemory.counts[0].output == 30_000)
        case .reject: #expect(inMemory.counts[0].rejected > 5_000 && inMemory.rejects.count > 5_000)
        case .drop: #expect(inMemory.counts[0].dropped > 5_000)
        }
        try JoinSpillTests.expectNothingLeft(in: folder)
    }

    /// A resource's records, typed, kept in a store that spilled, joined with a right side ten
    /// times the share: the typed values come through as in memory, bytes or records.
    @Test(arguments: [false, true])
    func aResourceKeptInASpilledStoreJoinsWithItsTypes(recordsOnly: Bool) throws {
        let directory = try TemporaryDirectory()
        let folder = directory.url.path
        try JoinSpillTests.left().write(toFile: directory.path("left.csv"), atomically: false, encoding: .utf8)
        let schema = RecordSchema(fieldNames: ["code", "size", "ratio", "day", "flag"])
        let store = RetainedRecords(limit: 64 << 10, folder: folder)
        for index in 0..<20_000 {
            let code = (index * 7) % 20_000
            try store.append(
                Record(
                    values: [
                        .text("c\(code)"), code % 13 == 0 ? .null : .integer(Int64(code)),
                        .decimal(ExactDecimal("\(code).25")!),
                        .date(DateValue(year: 2024, month: 1, day: 1 + code % 28)!),
                        .boolean(code % 2 == 0)
                    ], provenance: Provenance(source: "codes", line: index + 2, recordNumber: index + 1)))
        }
        #expect(store.spilled)
        do {
            var step = JoinStep(right: .resource("codes"), on: [("code", "code")], unmatched: .reject)
            step.table = LookupTable(schema: schema, retained: store, describedAs: "join with resource codes")
            let spilled = try JoinSpillTests.run(
                step, in: folder, "small", JoinSpillTests.small(folder), recordsOnly: recordsOnly)
            let inMemory = try JoinSpillTests.run(
                step, in: folder, "large", MemoryBudget(), recordsOnly: recordsOnly)
            JoinSpillTests.expectSame(spilled, inMemory)
            #expect(spilled.output.contains("\r\n7,c7433,n1,7433,7433.25,2024-01-14,false\r\n"))
        }
        // The store keeps its file while it lives (as the runner's does, till the release is written).
        #expect(SpillTests.openFiles(in: folder) == 1)
    }

    /// Keys found twice on the right, far past the spill point, stop the run with the
    /// in-memory message: the repeat read first (c9, though c1 sorts before it), and both places.
    @Test func aRepeatedRightKeyPastTheSpillIsTheSameDataError() throws {
        let directory = try TemporaryDirectory()
        let folder = directory.url.path
        try JoinSpillTests.left().write(toFile: directory.path("left.csv"), atomically: false, encoding: .utf8)
        try JoinSpillTests.codes(extra: "c9,again,2\nc1,again,1\n").write(
            toFile: directory.path("codes.csv"), atomically: false, encoding: .utf8)
        let step = JoinStep(
            right: .file(
                Pipeline.Source(
                    name: "codes", format: "csv", path: directory.path("codes.csv"), options: SourceOptions())),
            on: [("code", "code")])
        func message(_ memory: MemoryBudget) -> String {
            do {
                _ = try JoinSpillTests.run(step, in: folder, "run", memory)
                return "no error"
            } catch let error as PublicaError {
                #expect(error.kind.exitStatus == .dataError)
                return error.message
            } catch {
                return "\(error)"
            }
        }
        let spilled = message(JoinSpillTests.small(folder))
        #expect(spilled == message(MemoryBudget()))
        #expect(
            spilled.contains("'c9'") && spilled.contains("codes.csv:14289 and") && spilled.contains("codes.csv:20002"))
        try JoinSpillTests.expectNothingLeft(in: folder)
    }
}
