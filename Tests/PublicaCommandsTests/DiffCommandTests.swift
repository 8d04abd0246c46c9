import Foundation
import PublicaTestSupport
import Testing

/// `publica diff`, run as the binary: the summary, NDJSON lines a JSON parser reads, two release
/// folders compared by their resources' primary keys, `-o`, and the exit codes.
struct DiffCommandTests {
    static func write(_ text: String, _ path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Two versions of one table in `directory`: `old.csv` and `new.csv`.
    static func tables(_ directory: borrowing TemporaryDirectory) throws {
        try write("code,name,people\n4211,춘천시,285000\n4213,원주시,356000\n4215,강릉시,213000\n", directory.path("old.csv"))
        try write("code,name,people\n4211,춘천시,286000\n4213,원주시,356000\n4217,동해시,89000\n", directory.path("new.csv"))
    }

    static func jsonLines(_ path: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func theSummaryCountsRowsAndColumns() throws {
        let directory = try TemporaryDirectory()
        try DiffCommandTests.tables(directory)
        let out = directory.path("summary.txt")
        let (code, errors) = try runPublicaBinary(
            ["diff", directory.path("old.csv"), directory.path("new.csv"), "--key", "code"], standardOutput: out)
        #expect(code == 0, "\(errors)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        for line in [
            "rows: 3 old, 3 new", "added: 1", "removed: 1", "changed: 1", "unchanged: 1", "  people: 1 changed"
        ] {
            #expect(text.contains(line + "\n"), "\(text)")
        }
    }

    @Test func ndjsonIsALinePerDifferingRowThenTheSummary() throws {
        let directory = try TemporaryDirectory()
        try DiffCommandTests.tables(directory)
        let out = directory.path("diff.ndjson")
        let (code, errors) = try runPublicaBinary([
            "diff", directory.path("old.csv"), directory.path("new.csv"), "--key", "code", "--format", "ndjson",
            "-o", out
        ])
        #expect(code == 0, "\(errors)")
        let lines = try DiffCommandTests.jsonLines(out)
        #expect(lines.map { $0["op"] as? String } == ["changed", "removed", "added", "summary"])
        let changes = try #require(lines[0]["changes"] as? [String: [String: String]])
        #expect(changes == ["people": ["old": "285000", "new": "286000"]])
        #expect(lines[0]["key"] as? [String: String] == ["code": "4211"])
        #expect((lines[1]["row"] as? [String: String])?["name"] == "강릉시")
        #expect((lines[2]["row"] as? [String: String])?["code"] == "4217")
        #expect(lines[3]["changed"] as? Int == 1 && lines[3]["identical"] as? Bool == false)
    }

    @Test func identicalTablesExitZero() throws {
        let directory = try TemporaryDirectory()
        try DiffCommandTests.tables(directory)
        let out = directory.path("same.txt")
        let (code, _) = try runPublicaBinary(
            ["diff", directory.path("old.csv"), directory.path("old.csv"), "--key", "code"], standardOutput: out)
        #expect(code == 0)
        #expect(try String(contentsOfFile: out, encoding: .utf8).hasSuffix("identical\n"))
    }

    @Test func twoReleaseFoldersAreComparedResourceByResource() throws {
        let directory = try TemporaryDirectory()
        for (version, people, extra) in [("v1", "4211,2020,285000\n", "gone"), ("v2", "4211,2020,285500\n", "fresh")] {
            let folder = directory.path(version)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try DiffCommandTests.write("code,year,people\n" + people + "4213,2020,356000\n", folder + "/people.csv")
            try DiffCommandTests.write("id\n1\n", folder + "/\(extra).csv")
            let descriptor = """
                {"name":"gangwon","resources":[
                {"name":"people","path":"people.csv","format":"csv","schema":{"fields":[{"name":"code"},\
                {"name":"year"},{"name":"people"}],"primaryKey":["code","year"]}},
                {"name":"\(extra)","path":"\(extra).csv","schema":{"fields":[{"name":"id"}],"primaryKey":"id"}}]}
                """
            try DiffCommandTests.write(descriptor, folder + "/datapackage.json")
        }
        let out = directory.path("release.ndjson")
        let (code, errors) = try runPublicaBinary(
            ["diff", directory.path("v1"), directory.path("v2"), "--format", "ndjson"], standardOutput: out)
        #expect(code == 0, "\(errors)")
        let lines = try DiffCommandTests.jsonLines(out)
        #expect(lines.count == 2)
        #expect(lines[0]["resource"] as? String == "people" && lines[0]["op"] as? String == "changed")
        #expect(lines[0]["key"] as? [String: String] == ["code": "4211", "year": "2020"])
        #expect(lines[1]["resourcesAdded"] as? [String] == ["fresh"])
        #expect(lines[1]["resourcesRemoved"] as? [String] == ["gone"])
        let people = try #require((lines[1]["resources"] as? [String: Any])?["people"] as? [String: Any])
        #expect(people["changed"] as? Int == 1 && people["unchanged"] as? Int == 1)
        let text = directory.path("release.txt")
        #expect(
            try runPublicaBinary(["diff", directory.path("v1"), directory.path("v2")], standardOutput: text).code == 0)
        let summary = try String(contentsOfFile: text, encoding: .utf8)
        #expect(summary.contains("resource people:\n  key: code, year\n"))
        #expect(summary.contains("resources added: fresh\nresources removed: gone\n"))
    }

    @Test func aMissingKeyFieldIsUsageAndADuplicateKeyIsData() throws {
        let directory = try TemporaryDirectory()
        try DiffCommandTests.tables(directory)
        let missing = try runPublicaBinary([
            "diff", directory.path("old.csv"), directory.path("new.csv"), "--key", "kode"
        ])
        #expect(missing.code == 64)
        #expect(missing.errors.contains("its columns: code, name, people"), "\(missing.errors)")
        #expect(try runPublicaBinary(["diff", directory.path("old.csv"), directory.path("new.csv")]).code == 64)
        try DiffCommandTests.write("code,name\n1,a\n2,b\n1,c\n", directory.path("dup.csv"))
        let duplicate = try runPublicaBinary([
            "diff", directory.path("dup.csv"), directory.path("new.csv"), "--key", "code"
        ])
        #expect(duplicate.code == 65)
        #expect(duplicate.errors.contains("duplicate key (code=1) in OLD"), "\(duplicate.errors)")
        #expect(duplicate.errors.contains("record 1 (line 2) and record 3 (line 4)"))
        let folder = directory.path("pkg")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try DiffCommandTests.write(#"{"resources":[]}"#, folder + "/datapackage.json")
        let mixed = try runPublicaBinary(["diff", directory.path("old.csv"), folder, "--key", "code"])
        #expect(mixed.code == 64)
    }
}
