import Foundation
import PublicaCore
import PublicaIngest
import PublicaJSON
import PublicaPipeline
import PublicaTestSupport
import Testing

/// A release folder: data files, a version 2 pipeline file, the release under `out/`.
final class ReleaseFolder {
    let directory: TemporaryDirectory

    init(files: [String: String], pipeline: String) throws {
        directory = try TemporaryDirectory()
        for (name, text) in files { try text.write(toFile: directory.path(name), atomically: false, encoding: .utf8) }
        try pipeline.write(toFile: directory.path("release.yaml"), atomically: false, encoding: .utf8)
    }

    func load() throws -> Pipeline { try PipelineLoader().load(path: directory.path("release.yaml")) }

    func run(acceptingSchemaChange: Bool = false, memory: MemoryBudget = MemoryBudget()) throws
        -> PublicaCore.ExitStatus
    {
        var options = PipelineRunner.Options()
        options.log = RunLog(quiet: true)
        options.acceptsSchemaChange = acceptingSchemaChange
        options.memory = memory
        return try PipelineRunner(pipeline: try load(), options: options).run()
    }

    func output(_ name: String) throws -> String {
        try String(contentsOfFile: directory.path("out/rel/" + name), encoding: .utf8)
    }

    func json(_ name: String) throws -> FieldValue { try JSONDocument.read(path: directory.path("out/rel/" + name)) }

    /// The loader's or the shape check's problems, as `check` prints them.
    func problems() throws -> String {
        do {
            let pipeline = try load()
            try PipelineRunner(pipeline: pipeline).checkShapes()
            return ""
        } catch let problems as PipelineProblems {
            return problems.description
        } catch let error as PublicaError {
            return "\(error.location?.line ?? 0): \(error.message)"
        }
    }
}

let regionsCSV = "code,sido\n4211000000,강원도\n4213000000,강원도\n"
let factsCSV = "code,name,pop\n4211000000,춘천시,280640\n4213000000,원주시,344070\n9999999999,없음,1\n"

let releasePipeline = """
    version: 2
    name: gangwon
    title: 강원도 인구
    license: KOGL-Type1
    publisher: {name: 강원도, email: data@example.go.kr}
    keywords: [인구, 주민등록]
    package_version: "2020.1"
    output: out/rel/
    formats: [csv, ndjson]
    resources:
      population:
        title: 인구
        source: {path: facts.csv}
        schema:
          fields:
            - {name: code, type: string}
            - {name: name, type: string}
            - {name: pop, type: integer}
            - {name: sido, type: string}
          foreignKeys: [{fields: code, reference: {resource: regions, fields: code}}]
        steps:
          - join: {with: regions, on: code, take: {sido: sido}}
          - cast: {}
      regions:
        source: {path: regions.csv}
        schema: {fields: [{name: code, type: string}, {name: sido, type: string}], primaryKey: [code]}
    """

struct ReleaseTests {
    @Test func aReleasePublishesEveryResourceInOnePackageWithItsKeysChecked() throws {
        let folder = try ReleaseFolder(
            files: ["regions.csv": regionsCSV, "facts.csv": factsCSV], pipeline: releasePipeline)
        // `population` joins `regions`, declared after it: the runner runs regions first.
        #expect(try folder.run() == .publishedWithRejects)
        #expect(
            try folder.output("population.ndjson") == """
                {"code":"4211000000","name":"춘천시","pop":280640,"sido":"강원도"}
                {"code":"4213000000","name":"원주시","pop":344070,"sido":"강원도"}

                """)
        #expect(try folder.output("regions.csv") == "code,sido\r\n4211000000,강원도\r\n4213000000,강원도\r\n")
        let rejects = try folder.output("population.rejects.ndjson")
        #expect(rejects.contains(#""rule":"foreign-key""#) && rejects.contains(#""line":4"#))
        #expect(rejects.contains("9999999999"))

        let package = try folder.json("datapackage.json")
        #expect(package["title"] == "강원도 인구" && package["version"] == "2020.1")
        #expect(package["licenses"]?.items?.first?["name"] == "KOGL-Type1")
        #expect(package["contributors"]?.items?.first?["title"] == "강원도")
        let resources = package["resources"]?.items ?? []
        #expect(
            resources.compactMap { $0["name"]?.string } == [
                "population", "population-ndjson", "regions", "regions-ndjson"
            ])
        #expect(resources[0]["title"] == "인구")
        #expect(resources[0]["schema"]?["foreignKeys"]?.items?.first?["reference"]?["resource"] == "regions")
        #expect(resources[2]["schema"]?["primaryKey"] == .list(["code"]))

        // The report: per resource, and totals that balance.
        let report = try folder.json("run-report.json")
        #expect(report["records"]?["read"] == 5 && report["records"]?["written"] == 4)
        #expect(report["records"]?["rejected"] == 1)
        let population = report["resources"]?.items?.first
        #expect(population?["name"] == "population")
        #expect(population?["steps"]?.items?.compactMap { $0["step"]?.string } == ["join", "cast", "foreign_key"])
        #expect(population?["steps"]?.items?.last?["rejected"] == 1)
    }

    @Test func aJoinWhoseRightSideRepeatsAKeyStopsTheRunNamingBothLines() throws {
        let folder = try ReleaseFolder(
            files: ["regions.csv": regionsCSV + "4211000000,강원\n", "facts.csv": factsCSV], pipeline: releasePipeline)
        #expect {
            _ = try folder.run()
        } throws: { error in
            let message = (error as? PublicaError)?.message ?? ""
            return (error as? PublicaError)?.kind.exitStatus == .dataError && message.contains("'4211000000'")
                && message.contains("regions.csv:2") && message.contains("regions.csv:4")
        }
        // Nothing was published.
        #expect(!FileManager.default.fileExists(atPath: folder.directory.path("out/rel")))
    }

    @Test func joinsWithACodeListFileByItsUnmatchedRule() throws {
        for (rule, written, rejected, dropped) in [("null", 3, 0, 0), ("reject", 2, 1, 0), ("drop", 2, 0, 1)] {
            let folder = try ReleaseFolder(
                files: ["regions.csv": regionsCSV, "facts.csv": factsCSV],
                pipeline: """
                    version: 2
                    output: out/rel/
                    formats: [ndjson]
                    resources:
                      facts:
                        source: {path: facts.csv}
                        steps:
                          - join: {with: {path: regions.csv}, on: {code: code}, unmatched: \(rule)}
                    """)
            #expect(try folder.run() == (rejected > 0 ? .publishedWithRejects : .success))
            let report = try folder.json("run-report.json")
            #expect(report["records"]?["written"] == .integer(Int64(written)), "unmatched: \(rule)")
            #expect(report["records"]?["rejected"] == .integer(Int64(rejected)))
            #expect(report["records"]?["dropped"] == .integer(Int64(dropped)))
            if rule == "null" { #expect(try folder.output("facts.ndjson").contains(#""sido":null"#)) }
        }
    }

    @Test func sourcesAreConcatenatedByColumnNameWithMissingColumnsNull() throws {
        let folder = try ReleaseFolder(
            files: ["a.csv": "code,name\n1,가\n", "b.csv": "name,code,extra\n나,2,x\n"],
            pipeline: """
                version: 2
                output: out/rel/
                formats: [ndjson]
                resources:
                  both:
                    sources: [{path: a.csv}, {path: b.csv}]
                """)
        #expect(try folder.run() == .success)
        #expect(
            try folder.output("both.ndjson") == """
                {"code":"1","name":"가","extra":null}
                {"code":"2","name":"나","extra":"x"}

                """)
    }

    @Test func theLoaderAndTheShapeCheckPlaceEveryProblem() throws {
        func problems(_ pipeline: String) throws -> String {
            try ReleaseFolder(files: ["regions.csv": regionsCSV, "facts.csv": factsCSV], pipeline: pipeline).problems()
        }
        let unknownResource = try problems(
            releasePipeline.replacingOccurrences(of: "with: regions", with: "with: region"))
        #expect(
            unknownResource.contains("refers to no resource 'region'")
                && unknownResource.contains("did you mean 'regions'?"))
        #expect(unknownResource.contains("release.yaml:22:9: error:"))

        let unknownField = try problems(releasePipeline.replacingOccurrences(of: "on: code,", with: "on: cod,"))
        #expect(unknownField.contains("no field 'cod'") && unknownField.contains("did you mean 'code'?"))
        #expect(unknownField.hasPrefix("22: "))

        let twice = try problems(releasePipeline.replacingOccurrences(of: "package_version", with: "version"))
        #expect(twice.contains("'version' appears more than once") && twice.contains("package_version"))

        let badName = try problems(releasePipeline.replacingOccurrences(of: "  regions:", with: "  Regions:"))
        #expect(badName.contains("the resource name 'Regions' must be lowercase"))

        let circle = try problems(
            releasePipeline.replacingOccurrences(
                of: "    source: {path: regions.csv}\n",
                with:
                    "    source: {path: regions.csv}\n    steps: [{join: {with: population, on: code, take: {name: n}}}]\n"
            ))
        #expect(circle.contains("go round in a circle"))

        let format = try problems(releasePipeline.replacingOccurrences(of: "[csv, ndjson]", with: "[csv, ndjsn]"))
        #expect(format.contains("unknown format 'ndjsn'") && format.contains("did you mean 'ndjson'?"))
        #expect(try problems(releasePipeline) == "")
    }

    @Test func aSourceWhoseColumnsChangedStopsTheRunUnlessTheResourceEvolves() throws {
        let files = ["regions.csv": regionsCSV, "facts.csv": factsCSV]
        let folder = try ReleaseFolder(files: files, pipeline: releasePipeline)
        #expect(try folder.run() == .publishedWithRejects)
        let published = try folder.output("population.csv")
        // The agency renames a column and adds one.
        try "code,이름,pop,note\n4211000000,춘천시,280640,x\n".write(
            toFile: folder.directory.path("facts.csv"), atomically: false, encoding: .utf8)
        #expect {
            _ = try folder.run()
        } throws: { error in
            let message = (error as? PublicaError)?.message ?? ""
            return (error as? PublicaError)?.kind.exitStatus == .dataError
                && message.contains("renamed 'name' to '이름'") && message.contains("added 'note'")
        }
        #expect(try folder.output("population.csv") == published)
        // A column added: stopped again, then accepted once; the new columns are compared next time.
        try "code,name,pop,note\n4211000000,춘천시,280640,x\n".write(
            toFile: folder.directory.path("facts.csv"), atomically: false, encoding: .utf8)
        #expect(throws: PublicaError.self) { _ = try folder.run() }
        #expect(try folder.run(acceptingSchemaChange: true) == .success)
        #expect(try folder.output("population.csv") == "code,name,pop,sido\r\n4211000000,춘천시,280640,강원도\r\n")
        try "code,name,pop,note\n4213000000,원주시,1,y\n".write(
            toFile: folder.directory.path("facts.csv"), atomically: false, encoding: .utf8)
        #expect(try folder.run() == .success)
        #expect(SchemaDrift.describe(from: ["a", "b"], to: ["b", "a"]) == "reordered ('a', 'b' became 'b', 'a')")
        #expect(SchemaDrift.describe(from: ["a", "b"], to: ["a"]) == "removed 'b'")
        #expect(SchemaDrift.describe(from: ["a"], to: ["a"]) == nil)
    }

    @Test func evolveNotesTheChangeAndPublishes() throws {
        let pipeline = """
            version: 2
            output: out/rel/
            formats: [csv]
            resources:
              facts:
                source: {path: facts.csv}
                on_schema_change: evolve
            """
        let folder = try ReleaseFolder(files: ["facts.csv": factsCSV], pipeline: pipeline)
        #expect(try folder.run() == .success)
        try "code,name,pop,extra\n1,가,2,3\n".write(
            toFile: folder.directory.path("facts.csv"), atomically: false, encoding: .utf8)
        #expect(try folder.run() == .success)
        #expect(try folder.output("facts.csv") == "code,name,pop,extra\r\n1,가,2,3\r\n")
        try pipeline.replacingOccurrences(of: "evolve", with: "evolv").write(
            toFile: folder.directory.path("release.yaml"), atomically: false, encoding: .utf8)
        #expect(try folder.problems().contains("did you mean 'evolve'?"))
    }

    @Test func aForeignKeyViolationFollowsTheCastsOnError() throws {
        let files = ["regions.csv": regionsCSV, "facts.csv": factsCSV]
        let nulled = try ReleaseFolder(
            files: files,
            pipeline: releasePipeline.replacingOccurrences(
                of: "- cast: {}", with: "- cast: {on_error: {code: \"null\"}}"))
        #expect(try nulled.run() == .success)
        #expect(try nulled.output("population.csv").contains("\r\n,없음,1,\r\n"))
        let failing = try ReleaseFolder(
            files: files,
            pipeline: releasePipeline.replacingOccurrences(of: "- cast: {}", with: "- cast: {on_error: {code: fail}}"))
        #expect {
            _ = try failing.run()
        } throws: { error in
            (error as? PublicaError)?.kind.exitStatus == .dataError
                && (error as? PublicaError)?.message.contains("code '9999999999' is not a code of resource regions")
                    == true
        }
    }
}
