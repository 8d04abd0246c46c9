import Foundation
import PublicaTestSupport
import Testing

/// A release's SQLite database: one table per resource, the foreign key between them, the
/// metadata for Datasette, and Datasette itself serving it on loopback, its search finding
/// Korean words inside longer ones.
@Suite struct SQLiteRunTests {
    func release(_ directory: borrowing TemporaryDirectory, formats: String = "[csv, sqlite]") throws -> String {
        try "code,name\n4211,강원도 춘천시\n4213,강원도 원주시\n4215,강릉시 역사문화지구\n".write(
            toFile: directory.path("regions.csv"), atomically: true, encoding: .utf8)
        try "code,year,people\n4211,2020,285000\n4213,2020,356000\n4215,2020,213000\n4211,2021,286000\n".write(
            toFile: directory.path("people.csv"), atomically: true, encoding: .utf8)
        let text = """
            version: 2
            name: gangwon
            title: 강원 인구
            description: 강원도 시군의 인구
            license: KOGL-Type1
            publisher: {name: 강원도, url: https://www.gwd.go.kr}
            output: out/
            formats: \(formats)
            resources:
              regions:
                title: 행정구역
                source: {path: regions.csv}
                schema:
                  fields:
                    - {name: code, type: string, constraints: {pattern: "[0-9]{4}"}}
                    - {name: name, type: string, description: 시군구 이름}
                  primaryKey: [code]
                steps: [{cast: {}}]
              people:
                source: {path: people.csv}
                schema:
                  fields:
                    - {name: code, type: string}
                    - {name: year, type: integer}
                    - {name: people, type: integer, description: 주민등록 인구}
                  primaryKey: [code, year]
                  foreignKeys: [{fields: [code], reference: {resource: regions, fields: [code]}}]
                steps: [{cast: {}}]
            """
        try text.write(toFile: directory.path("p.yaml"), atomically: true, encoding: .utf8)
        return directory.path("p.yaml")
    }

    @Test func aReleaseIsOneDatabaseWithATablePerResource() throws {
        let directory = try TemporaryDirectory()
        let (code, errors) = try runPublicaBinary(["run", try release(directory)])
        #expect(code == 0, "\(errors)")
        let database = directory.path("out/gangwon.sqlite")
        let tables = try PythonCheck.sqlite(
            database, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' ORDER BY name"
        )
        #expect(tables.map { $0[0][1] as? String } == ["people", "regions"])
        let people = try #require(tables.first?[1][1] as? String)
        #expect(people.contains("FOREIGN KEY (\"code\") REFERENCES \"regions\" (\"code\")"))
        #expect(people.contains("\"people\" INTEGER") && people.contains("PRIMARY KEY (\"code\", \"year\")"))
        let joined = try PythonCheck.sqlite(
            database,
            "SELECT r.name, sum(p.people) FROM people p JOIN regions r USING (code) GROUP BY r.name ORDER BY 2 DESC")
        #expect(joined.first?.map { "\($0[1])" } == ["강원도 춘천시", "571000"])
        let violations = try PythonCheck.sqlite(database, "PRAGMA foreign_key_check")
        #expect(violations.isEmpty)

        // The package lists the database once, with its size and hash; DCAT gives it a distribution.
        let package =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: directory.path("out/datapackage.json")))) as? [String: Any]
        let resources = try #require(package?["resources"] as? [[String: Any]])
        let databases = resources.filter { $0["format"] as? String == "sqlite" }
        #expect(databases.count == 1)
        #expect(databases.first?["mediatype"] as? String == "application/vnd.sqlite3")
        let bytes = try FileManager.default.attributesOfItem(atPath: database)[.size] as? Int
        #expect(databases.first?["bytes"] as? Int == bytes)
        // The schema's field descriptions are in the package too.
        let regions = resources.first { $0["name"] as? String == "regions" }
        let fields = (regions?["schema"] as? [String: Any])?["fields"] as? [[String: Any]]
        #expect(fields?.first { $0["name"] as? String == "name" }?["description"] as? String == "시군구 이름")
    }

    @Test func datasetteServesTheDatabaseAndFindsKoreanWords() throws {
        let directory = try TemporaryDirectory()
        #expect(try runPublicaBinary(["run", try release(directory)]).code == 0)
        let server = try LoopbackServer(
            script: "datasette_server.py",
            arguments: ["--metadata", directory.path("out/metadata.json"), directory.path("out/gangwon.sqlite")])
        func names(_ query: String) throws -> [String] {
            let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let body = try server.get("/gangwon/regions.json?_search=\(encoded)&_shape=array")
            let rows = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]]
            return try #require(rows, "\(body)").compactMap { $0["name"] as? String }
        }
        #expect(try names("춘천") == ["강원도 춘천시"])
        #expect(try names("역사") == ["강릉시 역사문화지구"])
        #expect(try names("강원도").sorted() == ["강원도 원주시", "강원도 춘천시"])
        #expect(try names("부산").isEmpty)

        let metadata =
            try JSONSerialization.jsonObject(with: Data(try server.get("/-/metadata.json").utf8))
            as? [String: Any]
        #expect(metadata?["title"] as? String == "강원 인구")
        #expect(metadata?["license"] as? String == "공공누리 제1유형: 출처표시")
        let tables =
            (metadata?["databases"] as? [String: Any]).flatMap { $0["gangwon"] as? [String: Any] }?["tables"]
            as? [String: Any]
        let columns = (tables?["people"] as? [String: Any])?["columns"] as? [String: String]
        #expect(columns?["people"] == "주민등록 인구")
        // The table page shows the column's description from the schema.
        #expect(try server.get("/gangwon/regions").contains("시군구 이름"))
    }

    @Test func convertWritesATypedTableFromTheReadersBytes() throws {
        let directory = try TemporaryDirectory()
        try "id,name,amount,when\n1,\"say \"\"hi\"\"\",0.1,2022-09-02\n2,춘천,,2023-01-31\n".write(
            toFile: directory.path("in.csv"), atomically: true, encoding: .utf8)
        try
            #"{"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}, {"name": "amount", "type": "number"}, {"name": "when", "type": "date"}]}"#
            .write(toFile: directory.path("schema.json"), atomically: true, encoding: .utf8)
        let (code, errors) = try runPublicaBinary([
            "convert", directory.path("in.csv"), directory.path("out.sqlite"), "--schema", directory.path("schema.json")
        ])
        #expect(code == 0, "\(errors)")
        let rows = try PythonCheck.sqlite(directory.path("out.sqlite"), "SELECT * FROM \"in\" ORDER BY id")
        #expect(
            rows.map { $0.map { $0[0] as! String } } == [
                ["integer", "text", "real", "text"], ["integer", "text", "null", "text"]
            ])
        #expect(rows[0][1][1] as? String == "say \"hi\"")
        #expect(rows[1][3][1] as? String == "2023-01-31")
        // Nothing but the database (and the conversion's lock) is left in the folder.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path("")).sorted()
                == [".out.sqlite.publica.lock", "in.csv", "out.sqlite", "schema.json"])
    }

    @Test func aDryRunWritesNoDatabase() throws {
        let directory = try TemporaryDirectory()
        let (code, _) = try runPublicaBinary(
            ["run", try release(directory), "--dry-run"], standardOutput: directory.path("sample.txt"))
        #expect(code == 0)
        #expect(!FileManager.default.fileExists(atPath: directory.path("out")))
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path(""))
        #expect(left.allSatisfy { !$0.contains("sqlite") && !$0.contains("publica-tmp") }, "\(left)")
    }
}
