import Foundation
import PublicaCore
import PublicaExport
import PublicaSQLite
import PublicaTestSupport
import Testing

/// A SQLite output, read back by Python's sqlite3: columns typed from the schema, values stored
/// in their storage class, keys and indexes declared, the Korean-aware full-text index, and the
/// file published whole.
@Suite struct SQLiteWriterTests {
    static let schema = RecordSchema(fieldNames: ["id", "name", "count", "share", "amount", "day", "open", "note"])
    static let table = TableDescription(
        name: "places",
        fields: [
            .init(name: "id", type: "string"), .init(name: "name", type: "string", description: "시군구 이름"),
            .init(name: "count", type: "integer"), .init(name: "share", type: "number"),
            .init(name: "amount", type: "number", scale: 2), .init(name: "day", type: "date"),
            .init(name: "open", type: "boolean")
        ],
        primaryKey: ["id"], foreignKeys: [.init(fields: ["note"], resource: "", referencedFields: ["id"])],
        searchFields: ["name"])

    func record(_ values: [FieldValue], line: Int) -> Record {
        Record(values: values, provenance: Provenance(source: "places.csv", line: line, recordNumber: line - 1))
    }

    func write(_ records: [Record], to path: String, table: TableDescription? = table) throws {
        var writer = SQLiteWriter(file: try OutputFile(path: path, hashing: true), description: table)
        try writer.begin(schema: SQLiteWriterTests.schema)
        for record in records { try writer.write(record) }
        try writer.finish()
    }

    var records: [Record] {
        [
            record(
                [
                    .text("4211"), .text("강원도 춘천시"), .integer(286_000), .decimal(ExactDecimal("0.1")!),
                    .decimal(ExactDecimal("1234567890123456789.25")!), .date(DateValue(year: 2022, month: 9, day: 2)!),
                    .boolean(true), .null
                ], line: 2),
            record(
                [
                    .text("4213"), .text("역사적 도시 원주"), .integer(-1), .decimal(ExactDecimal("-12.5")!),
                    .decimal(ExactDecimal("0")!), .null, .boolean(false), .text("4211")
                ], line: 3)
        ]
    }

    @Test func valuesKeepTheirTypesAndDigits() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("places.sqlite")
        try write(records, to: path)
        let rows = try PythonCheck.sqlite(path, "SELECT * FROM places ORDER BY rowid")
        #expect(rows.count == 2)
        let kinds = rows.map { $0.map { $0[0] as! String } }
        #expect(kinds[0] == ["text", "text", "integer", "real", "text", "text", "integer", "null"])
        #expect(kinds[1] == ["text", "text", "integer", "real", "text", "null", "integer", "text"])
        #expect(rows[0][3][1] as? Double == 0.1)
        #expect(rows[0][4][1] as? String == "1234567890123456789.25")  // a declared scale: exact text
        #expect(rows[0][5][1] as? String == "2022-09-02")
        #expect(rows[1][6][1] as? Int == 0)
    }

    @Test func theTableHasItsKeysAndIndexes() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("places.sqlite")
        try write(records, to: path)
        let sql = try PythonCheck.sqlite(path, "SELECT sql FROM sqlite_master WHERE name = 'places'")
        let create = try #require(sql.first?.first?[1] as? String)
        #expect(create.contains("\"count\" INTEGER") && create.contains("\"share\" REAL"))
        #expect(create.contains("PRIMARY KEY (\"id\")"))
        #expect(create.contains("FOREIGN KEY (\"note\") REFERENCES \"places\" (\"id\")"))
        let indexes = try PythonCheck.sqlite(
            path, "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        #expect(indexes.map { $0[0][1] as? String } == ["places_note_index"])
        let check = try PythonCheck.sqlite(path, "PRAGMA integrity_check")
        #expect(check.first?.first?[1] as? String == "ok")
    }

    /// `역사` inside `역사적` and `춘천` inside `춘천시` are found by the index Publica builds, and by
    /// neither SQLite's default tokenizer nor the trigram one over the same text.
    @Test func koreanWordsAreFoundInsideLongerWords() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("places.sqlite")
        try write(records, to: path)
        func found(_ word: String) throws -> [String] {
            try PythonCheck.sqlite(
                path,
                "SELECT id FROM places WHERE rowid IN (SELECT rowid FROM places_fts WHERE places_fts MATCH '\"\(word)\"') ORDER BY id"
            ).map { $0[0][1] as! String }
        }
        #expect(try found("역사") == ["4213"])
        #expect(try found("춘천") == ["4211"])
        #expect(try found("역사적") == ["4213"])
        #expect(try found("강원도") == ["4211"])
        #expect(try found("부산").isEmpty)

        let others =
            try PythonCheck.json(
                """
                import json, sqlite3
                c = sqlite3.connect(":memory:")
                found = {}
                for tokenizer in ["unicode61", "trigram"]:
                    c.execute(f"CREATE VIRTUAL TABLE t_{tokenizer} USING fts5(name, tokenize='{tokenizer}')")
                    c.executemany(f"INSERT INTO t_{tokenizer} VALUES (?)", [("강원도 춘천시",), ("역사적 도시 원주",)])
                    found[tokenizer] = [c.execute(f"SELECT count(*) FROM t_{tokenizer} WHERE t_{tokenizer} MATCH ?", ['"' + w + '"']).fetchone()[0] for w in ["역사", "춘천"]]
                print(json.dumps(found))
                """) as? [String: [Int]]
        #expect(others == ["unicode61": [0, 0], "trigram": [0, 0]])
    }

    @Test func aNumberADoubleCannotHoldIsRefusedWithItsPlace() throws {
        let directory = try TemporaryDirectory()
        var values = records[0].values
        values[3] = .decimal(ExactDecimal("0.12345678901234567")!)
        #expect {
            try write([record(values, line: 7)], to: directory.path("places.sqlite"))
        } throws: { error in
            let text = "\(error)"
            return text.contains("share") && text.contains("scale") && text.contains(":7")
        }
        // Nothing is left: neither the database nor its temporary file.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path("")).isEmpty)
    }

    @Test func aRepeatedPrimaryKeyIsADataErrorWithItsLine() throws {
        let directory = try TemporaryDirectory()
        #expect {
            try write([records[0], record(records[0].values, line: 9)], to: directory.path("places.sqlite"))
        } throws: { error in
            "\(error)".contains("UNIQUE") && "\(error)".contains(":9")
        }
    }

    @Test func withoutADescriptionTheTableIsNamedAfterTheFileAndUntyped() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("plain.db")
        try write(records, to: path, table: nil)
        let create = try PythonCheck.sqlite(path, "SELECT sql FROM sqlite_master WHERE name = 'plain'")
        #expect(
            create.first?.first?[1] as? String
                == "CREATE TABLE \"plain\" (\"id\", \"name\", \"count\", \"share\", \"amount\", \"day\", \"open\", \"note\")"
        )
        // Each value as what it is; a decimal a double cannot hold stays exact, as text.
        let rows = try PythonCheck.sqlite(path, "SELECT typeof(count), typeof(share), typeof(amount) FROM plain")
        #expect(rows.first?.map { $0[1] as? String } == ["integer", "real", "text"])
    }

    /// A link planted where the database goes is replaced, never followed: the file it points
    /// to keeps its bytes.
    @Test func aPlantedLinkIsNotFollowed() throws {
        let directory = try TemporaryDirectory()
        let victim = directory.path("victim.txt")
        try "keep me".write(toFile: victim, atomically: true, encoding: .utf8)
        let path = directory.path("places.sqlite")
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: victim)
        try write(records, to: path)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep me")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        #expect(try PythonCheck.sqlite(path, "SELECT count(*) FROM places").first?.first?[1] as? Int == 2)
    }
}
