import Foundation
import PublicaCore
import PublicaPipeline
import PublicaTestSupport
import Testing

@testable import PublicaPipeline

/// A foreign key to a resource ten times its memory share and more: the referenced keys sorted
/// into a spill file, the records decided at the end, as in memory.
struct ForeignKeySpillTests {
    /// 20,000 referenced codes, c0 to c19999, scrambled.
    static var codes: LookupTable {
        LookupTable(
            schema: RecordSchema(fieldNames: ["code", "label"]),
            records: (0..<20_000).map { index in
                let code = (index * 7) % 20_000
                return Record(
                    values: [.text("c\(code)"), .text("이름 \(code)")],
                    provenance: Provenance(source: "codes", line: index + 2, recordNumber: index + 1))
            }, describedAs: "foreign key to resource codes")
    }

    static func run(_ onError: SchemaStep.OnError, in folder: String, _ name: String, _ memory: MemoryBudget) throws
        -> (output: String, rejects: [String], step: ForeignKeyStep)
    {
        var step = ForeignKeyStep(fields: ["code"], resource: "codes", referencedFields: ["code"])
        step.onError = onError
        step.table = ForeignKeySpillTests.codes
        let source = Pipeline.Source(name: "left", format: "csv", path: folder + "/left.csv", options: SourceOptions())
        let pipeline = Pipeline(
            file: folder + "/p.yaml", name: name, sources: [source], steps: [step],
            outputs: [Pipeline.Output(path: folder + "/\(name).ndjson", format: "ndjson")])
        var engine = Engine(pipeline: pipeline, folder: nil)
        engine.memory = memory
        try engine.run()
        #expect(engine.counts.balance)
        let rejects = (try? String(contentsOfFile: folder + "/\(name).rejects.ndjson", encoding: .utf8)) ?? ""
        return (
            try String(contentsOfFile: folder + "/\(name).ndjson", encoding: .utf8),
            rejects.split(separator: "\n").map(String.init), engine.steps[0] as! ForeignKeyStep
        )
    }

    /// Rejected or nulled: the same output and the same rejects; a failing key, the same error.
    @Test(arguments: [SchemaStep.OnError.reject, .null, .fail])
    func aForeignKeyToAResourceTenTimesTheBudgetChecksAsInMemory(onError: SchemaStep.OnError) throws {
        let directory = try TemporaryDirectory()
        let folder = directory.url.path
        try JoinSpillTests.left().write(toFile: folder + "/left.csv", atomically: false, encoding: .utf8)
        let small = MemoryBudget(bytes: 128 << 10, folder: folder)
        guard onError != .fail else {
            // The first failing key in input order is not the first in key order.
            try "id,code,note\n0,c5,a\n1,c23999,b\n2,c20000,c\n".write(
                toFile: folder + "/left.csv", atomically: false, encoding: .utf8)
            func message(_ memory: MemoryBudget) -> String {
                do {
                    _ = try ForeignKeySpillTests.run(.fail, in: folder, "run", memory)
                    return "no error"
                } catch {
                    return (error as? PublicaError)?.message ?? "\(error)"
                }
            }
            #expect(message(small) == message(MemoryBudget()))
            #expect(message(small).contains("code 'c23999' is not a code of resource codes"))
            return
        }
        let spilled = try ForeignKeySpillTests.run(onError, in: folder, "small", small)
        let inMemory = try ForeignKeySpillTests.run(onError, in: folder, "large", MemoryBudget())
        #expect(spilled.step.spilledReferencedRecords == 20_000 && inMemory.step.spilledReferencedRecords == 0)
        #expect(spilled.output == inMemory.output)
        #expect(spilled.rejects.sorted() == inMemory.rejects.sorted())
        #expect(inMemory.rejects.count == (onError == .reject ? 5_250 : 0))
        try JoinSpillTests.expectNothingLeft(in: folder)
    }
}
