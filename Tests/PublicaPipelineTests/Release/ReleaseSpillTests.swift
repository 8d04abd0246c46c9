import Foundation
import PublicaCore
import PublicaPipeline
import PublicaTestSupport
import Testing

/// A release whose joined and referenced resource is ten times the memory budget and more: the
/// resource's records are kept in a store that spills, the join and the foreign key sort it into
/// spill files, and the release is the one an ample budget publishes.
struct ReleaseSpillTests {
    /// 30,000 facts: codes that repeat, miss, or are empty; every 997th id not a number (a
    /// rejection of the `cast`, made while the records stream).
    static let facts: String = {
        var csv = "id,code,note\n"
        for index in 0..<30_000 {
            let code = index % 101 == 0 ? "" : "c\((index * 7919) % 24_000)"
            csv += "\(index % 997 == 0 ? "x\(index)" : String(index)),\(code),\"note \(index), \(index % 7)\"\n"
        }
        return csv
    }()

    /// 20,000 codes, c0 to c19999, scrambled; a label and a size.
    static func codes(extra: String = "") -> String {
        var csv = "code,label,size\n"
        for index in 0..<20_000 {
            let code = (index * 7) % 20_000
            csv += "c\(code),\"이름 \(code)\",\(code % 13 == 0 ? "" : String(code * 3))\n"
        }
        return csv + extra
    }

    static func pipeline(unmatched: String) -> String {
        """
        version: 2
        output: out/rel/
        formats: [csv, ndjson]
        resources:
          facts:
            source: {path: facts.csv}
            schema:
              fields:
                - {name: id, type: integer}
                - {name: code, type: string}
                - {name: note, type: string}
                - {name: label, type: string}
                - {name: size, type: integer}
              foreignKeys: [{fields: code, reference: {resource: codes, fields: code}}]
            steps:
              - join: {with: codes, on: code, take: {label: label, size: size}, unmatched: \(unmatched)}
              - cast: {}
          codes:
            source: {path: codes.csv}
            schema:
              fields: [{name: code, type: string}, {name: label, type: string}, {name: size, type: integer}]
        """
    }

    /// What a release published: its files' bytes, its rejects' lines, its report's counts.
    struct Published: Equatable {
        var files: [String: String]
        var rejects: [String]
        var records: FieldValue?
    }

    static func publish(unmatched: String, memory: MemoryBudget) throws -> Published {
        let folder = try ReleaseFolder(
            files: ["facts.csv": ReleaseSpillTests.facts, "codes.csv": ReleaseSpillTests.codes()],
            pipeline: ReleaseSpillTests.pipeline(unmatched: unmatched))
        #expect(try folder.run(memory: memory) == .publishedWithRejects)
        var files: [String: String] = [:]
        for name in ["facts.csv", "facts.ndjson", "codes.csv", "codes.ndjson"] { files[name] = try folder.output(name) }
        // Without the folder, which differs from run to run.
        let rejects = try folder.output("facts.rejects.ndjson").replacingOccurrences(
            of: folder.directory.url.path, with: ""
        ).split(separator: "\n").map(String.init)
        let left = try FileManager.default.subpathsOfDirectory(atPath: folder.directory.url.path).filter {
            $0.contains(".publica-spill") || $0.contains("publica-staging")
        }
        #expect(left.isEmpty)
        return Published(files: files, rejects: rejects, records: try folder.json("run-report.json")["records"])
    }

    /// The join's unmatched records kept (null) or rejected, the foreign key rejecting those
    /// left with a code not in `codes`: the same files, counts and rejects, each step's in input
    /// order; the steps' in another order, which shows the spill (the records held by a step
    /// come after the ones decided at once).
    @Test(arguments: ["null", "reject"])
    func aResourceTenTimesTheBudgetJoinsAndIsReferredToAsInMemory(unmatched: String) throws {
        let spilled = try ReleaseSpillTests.publish(unmatched: unmatched, memory: MemoryBudget(bytes: 256 << 10))
        let inMemory = try ReleaseSpillTests.publish(unmatched: unmatched, memory: MemoryBudget())
        #expect(spilled.files == inMemory.files)
        #expect(spilled.records == inMemory.records)
        #expect(spilled.rejects.sorted() == inMemory.rejects.sorted())
        // Rejecting, the join holds every record, so all its rejections wait for the end as
        // the cast's after it do: the same order as in memory.
        #expect((spilled.rejects == inMemory.rejects) == (unmatched == "reject"))
        let castRejects = inMemory.rejects.filter { $0.contains(#""rule":"type-error""#) }.count
        #expect(castRejects > 20)
        // Each step's rejections in input order, as in memory (those without a code among the
        // join's others); a step's held records come after what the steps decided at once.
        for rule in ["type-error", "join", "foreign-key"] {
            let only = { (rejects: [String]) in rejects.filter { $0.contains(#""rule":"\#(rule)""#) } }
            #expect(only(spilled.rejects) == only(inMemory.rejects), "\(rule)")
        }
        if unmatched == "null" {
            // The foreign key decided at the end: after every rejection of the cast before it.
            #expect(spilled.rejects.prefix(castRejects).allSatisfy { $0.contains(#""rule":"type-error""#) })
        }
        let rule = unmatched == "null" ? "foreign-key" : "join"
        #expect(inMemory.rejects.filter { $0.contains(#""rule":"\#(rule)""#) }.count > 1_000)
        #expect(spilled.files["facts.ndjson"]?.contains(#""label":"이름 7433","size":22299"#) == true)
    }

    /// A code found twice in the referenced resource, far past the spill point, stops the
    /// release with the in-memory message, and nothing is published.
    @Test func aRepeatedKeyPastTheSpillStopsTheReleaseAsInMemory() throws {
        func message(_ memory: MemoryBudget) throws -> String {
            let folder = try ReleaseFolder(
                files: ["facts.csv": ReleaseSpillTests.facts, "codes.csv": ReleaseSpillTests.codes(extra: "c14,또,1\n")],
                pipeline: ReleaseSpillTests.pipeline(unmatched: "null"))
            defer { #expect(!FileManager.default.fileExists(atPath: folder.directory.path("out/rel"))) }
            do {
                _ = try folder.run(memory: memory)
                return "no error"
            } catch let error as PublicaError {
                return error.message.replacingOccurrences(of: folder.directory.url.path, with: "")
            }
        }
        let spilled = try message(MemoryBudget(bytes: 256 << 10))
        #expect(spilled == (try message(MemoryBudget())))
        #expect(spilled.contains("'c14'") && spilled.contains("codes.csv:4 and") && spilled.contains("codes.csv:20002"))
    }
}
