import Foundation
import PublicaCore
import PublicaPipeline
import PublicaTestSupport
import Testing

@testable import PublicaPipeline

/// A pivot whose rows outgrow its budget ten times over holds the records that follow in an
/// external sort and writes the table the in-memory pivot writes.
struct PivotSpillTests {
    static let columns = (2015...2024).map(String.init)

    /// 4,000 regions × 10 years in a scrambled order, with unknown years and duplicates: rows
    /// first seen before the spill get cells after it, rows first seen after it too, and
    /// duplicates fall on both sides.
    static func data(duplicatesFrom first: Int = 0, unknownYears: Bool = true) -> String {
        var csv = "region,year,value,note\n"
        for index in 0..<40_000 {
            let scrambled = (index * 7919) % 40_000
            let region = scrambled / 10
            let year = 2015 + scrambled % 10
            csv += "r\(region),\(year),\(index % 7 == 0 ? "" : "\(index).5"),\"note, \(index)\"\n"
            if index % 97 == 0 && index >= first { csv += "r\(region),\(year),dup\(index),x\n" }
            if index % 101 == 0 && unknownYears { csv += "r\(region),1999,unknown,x\n" }
        }
        return csv
    }

    static func run(
        _ directory: borrowing TemporaryDirectory, _ name: String, _ memory: MemoryBudget,
        onError: PivotStep.OnError = .reject
    ) throws -> (output: String, rejects: [String], counts: Engine.StepCount, step: PivotStep) {
        let source = Pipeline.Source(name: "d", format: "csv", path: directory.path("d.csv"), options: SourceOptions())
        let step = PivotStep(index: ["region"], key: "year", value: "value", columns: columns, onError: onError)
        let pipeline = Pipeline(
            file: directory.path("p.yaml"), name: name, sources: [source], steps: [step],
            outputs: [Pipeline.Output(path: directory.path("\(name).csv"), format: "csv")])
        var engine = Engine(pipeline: pipeline, folder: nil)
        engine.memory = memory
        try engine.run()
        #expect(engine.counts.balance)
        let rejects = try String(contentsOfFile: directory.path("\(name).rejects.ndjson"), encoding: .utf8)
        return (
            try String(contentsOfFile: directory.path("\(name).csv"), encoding: .utf8),
            rejects.split(separator: "\n").map(String.init), engine.stepCounts[0], engine.steps[0] as! PivotStep
        )
    }

    @Test func aPivotTenTimesItsBudgetGivesTheInMemoryTableAndRejects() throws {
        let directory = try TemporaryDirectory()
        try PivotSpillTests.data().write(toFile: directory.path("d.csv"), atomically: false, encoding: .utf8)
        let small = try PivotSpillTests.run(
            directory, "small", MemoryBudget(bytes: 256 << 10, folder: directory.url.path))
        let large = try PivotSpillTests.run(directory, "large", MemoryBudget())
        #expect(large.step.spilledRecords == 0)
        #expect(small.step.spilledRecords > 30_000)
        #expect(small.output == large.output)
        #expect(small.output.components(separatedBy: "\r\n").count == 4_002)
        #expect(small.counts.input == large.counts.input && small.counts.output == 4_000)
        #expect(small.counts.rejected == large.counts.rejected)
        // The same records rejected for the same reasons; those found at the end come at the end.
        #expect(small.rejects.sorted() == large.rejects.sorted())
        #expect(large.rejects.filter { $0.contains("pivot-duplicate") }.count == 413)
        #expect(small.rejects.contains { $0.contains("pivot-duplicate") && $0.contains("d.csv:") })
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter {
                $0.hasPrefix(".publica-spill")
            }.isEmpty)
        #expect(SpillTests.openFiles(in: directory.url.path) == 0)
    }

    /// With `on_error: fail`, a duplicate found at the end (all come after the spill) stops the run
    /// at its place, naming the first.
    @Test func aSpilledPivotThatFailsNamesTheDuplicateAndTheFirst() throws {
        let directory = try TemporaryDirectory()
        try PivotSpillTests.data(duplicatesFrom: 30_000, unknownYears: false).write(
            toFile: directory.path("d.csv"), atomically: false, encoding: .utf8)
        #expect {
            _ = try PivotSpillTests.run(
                directory, "failing", MemoryBudget(bytes: 256 << 10, folder: directory.url.path), onError: .fail)
        } throws: { error in
            let error = error as! PublicaError
            return error.kind == .data && error.location?.line ?? 0 > 30_000 && error.message.contains("d.csv:")
        }
    }
}
