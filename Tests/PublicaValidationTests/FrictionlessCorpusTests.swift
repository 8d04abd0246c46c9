import Foundation
import PublicaCore
import PublicaIngest
import PublicaJSON
import PublicaTestSupport
import Testing

@testable import PublicaValidation

/// The Frictionless corpus: each case finds the same (row, field, type) errors as frictionless-py
/// (transcribed in `frictionless/expected-errors.json`).
struct FrictionlessCorpusTests {
    typealias ErrorKey = [String]

    static func path(_ file: String) -> String { Fixtures.url("frictionless/\(file)").path }

    static func key(_ error: PublicaValidation.ValidationError) -> ErrorKey {
        [error.rowNumber.map(String.init) ?? "null", error.fieldNumber.map(String.init) ?? "null", error.type]
    }

    static func validate(
        _ file: String, schema: String? = nil, options: CSVReadOptions = CSVReadOptions(),
        limit: Int? = nil
    ) throws -> ValidationTask {
        var keys = TableValidator.KeyCollector()
        let tableSchema = try schema.map { try TableSchema(path: path($0)) }
        return try TableValidator(readOptions: options, errorLimit: limit)
            .validate(path: path(file), name: file, schema: tableSchema, keys: &keys)
    }

    static func expected(_ id: String) throws -> [String: Any] {
        let data = try Fixtures.data("frictionless/expected-errors.json")
        let root = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        return (root["cases"] as! [[String: Any]]).first { $0["id"] as? String == id }!
    }

    static func expectedKeys(_ id: String, field: String = "errors(rowNumber,fieldNumber,type)") throws -> [ErrorKey] {
        let list = try expected(id)[field] as? [[Any]] ?? []
        return list.map { $0.map { ($0 as? NSNumber).map { String($0.intValue) } ?? ($0 as? String) ?? "null" } }
    }

    @Test(arguments: [
        ("invalid-table", "invalid.csv"), ("blank-headers", "blank-headers.csv"),
        ("duplicate-headers", "duplicate-headers.csv"), ("defective-rows", "defective-rows.csv"),
        ("blank-rows", "blank-rows.csv"), ("blank-cell-not-required", "blank-cells.csv")
    ])
    func inferredSchemaCases(id: String, file: String) throws {
        let task = try FrictionlessCorpusTests.validate(file)
        #expect(Set(task.errors.map(FrictionlessCorpusTests.key)) == Set(try FrictionlessCorpusTests.expectedKeys(id)))
        #expect(task.valid == (try FrictionlessCorpusTests.expected(id)["valid"] as? Bool))
    }

    @Test func emptySourceIsASourceError() throws {
        let task = try FrictionlessCorpusTests.validate("empty.csv")
        #expect(task.errors.map(\.type) == ["source-error"])
        #expect(task.errors.first?.note == "the source is empty")
    }

    @Test func forcedUTF8OnLatin1IsAnEncodingError() throws {
        let task = try FrictionlessCorpusTests.validate("latin1.csv", options: CSVReadOptions(encoding: .utf8))
        #expect(task.errors.map(\.type) == ["encoding-error"])
        #expect(task.errors.first?.note.contains("0xA9") == true)
    }

    @Test func validWithSchema() throws {
        #expect(try FrictionlessCorpusTests.validate("table.csv", schema: "schema.json").valid)
    }

    @Test func rowErrorsUpToALimit() throws {
        let task = try FrictionlessCorpusTests.validate("schema-errors.csv", schema: "schema-valid.json", limit: 3)
        #expect(
            task.errors.map(FrictionlessCorpusTests.key)
                == (try FrictionlessCorpusTests.expectedKeys("schema-multiple-errors")))
        #expect(task.warnings == ["reached error limit: 3"])
    }

    @Test func uniqueAndPrimaryKey() throws {
        let task = try FrictionlessCorpusTests.validate("unique-field.csv", schema: "unique-field.json")
        #expect(
            Set(task.errors.map(FrictionlessCorpusTests.key))
                == Set(try FrictionlessCorpusTests.expectedKeys("unique-and-primary-key")))
    }

    @Test func packages() throws {
        let invalid = try PackageValidator().validate(
            descriptorPath: FrictionlessCorpusTests.path("invalid/datapackage.json"))
        let found = invalid.tasks.enumerated().flatMap { index, task in
            task.errors.map { [String(index + 1)] + FrictionlessCorpusTests.key($0) }
        }
        #expect(
            Set(found)
                == Set(
                    try FrictionlessCorpusTests.expectedKeys(
                        "package-invalid", field: "errors(taskNumber,rowNumber,fieldNumber,type)")))
        #expect(!invalid.valid)
        #expect(
            try PackageValidator().validate(descriptorPath: FrictionlessCorpusTests.path("package/datapackage.json"))
                .valid)
    }

    @Test func foreignKeysAcrossResourcesAreChecked() throws {
        let directory = try TemporaryDirectory()
        for (name, text) in [("parents.csv", "id\nA\nB\n"), ("children.csv", "parent\nA\nC\n\nB\n")] {
            try text.write(toFile: directory.path(name), atomically: false, encoding: .utf8)
        }
        try """
        {"name": "fk", "resources": [
          {"name": "parents", "path": "parents.csv", "schema": {"fields": [{"name": "id", "type": "string"}], "primaryKey": "id"}},
          {"name": "children", "path": "children.csv", "schema": {"fields": [{"name": "parent", "type": "string"}],
           "foreignKeys": [{"fields": "parent", "reference": {"resource": "parents", "fields": "id"}}]}}]}
        """.write(toFile: directory.path("datapackage.json"), atomically: false, encoding: .utf8)
        let report = try PackageValidator().validate(descriptorPath: directory.path("datapackage.json"))
        let childErrors = report.tasks[1].errors.map(FrictionlessCorpusTests.key)
        #expect(childErrors.contains(["3", "null", "foreign-key"]))
        #expect(
            !childErrors.contains(["2", "null", "foreign-key"]) && !childErrors.contains(["5", "null", "foreign-key"]))
    }

    @Test func schemaDescriptorProblems() throws {
        let misplaced = #expect(throws: SchemaProblems.self) {
            try TableSchema(path: FrictionlessCorpusTests.path("schema-invalid.json"))
        }
        #expect(misplaced?.problems.first?.code == "field-error")
        #expect(
            misplaced?.problems.first?.message.hasPrefix("\"required\" should be set as \"constraints.required\"")
                == true)
        for file in [
            "schema-invalid-pk-string.json", "schema-invalid-fk-string.json", "schema-invalid-fk-no-reference.json"
        ] {
            let problems = #expect(throws: SchemaProblems.self) {
                try TableSchema(path: FrictionlessCorpusTests.path(file))
            }
            #expect(problems?.problems.allSatisfy { $0.code == "schema-error" } == true, "\(file)")
        }
        #expect(throws: (any Error).self) {
            try TableSchema(
                descriptor: .object([
                    (
                        "fields",
                        .list([
                            .object([
                                ("name", "a"),
                                ("constraints", .object([("pattern", "([a-z")]))
                            ])
                        ])
                    )
                ]), source: "inline")
        }
    }

    @Test func jsonReportHasFrictionlessKeys() throws {
        let task = try FrictionlessCorpusTests.validate("invalid.csv")
        let json = JSONText.render(ValidationReport(tasks: [task]).descriptor)
        let report = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        #expect(report["valid"] as? Bool == false)
        #expect((report["stats"] as? [String: Any])?["errors"] as? Int == 8)
        let errors = ((report["tasks"] as? [[String: Any]])?.first?["errors"] as? [[String: Any]]) ?? []
        let missing = try #require(errors.first { $0["type"] as? String == "missing-cell" })
        for key in ["type", "title", "message", "tags", "note", "rowNumber", "fieldNumber", "fieldName", "cell"] {
            #expect(missing[key] != nil, "missing key \(key)")
        }
    }
}

struct TypesAndConstraintsTests {
    func check(_ text: String, _ field: SchemaField) -> FieldValue? { ValueCaster.cast(text, field: field) }

    @Test func koreanDatesNumbersAndBooleans() {
        #expect(
            check("2022.09.02", SchemaField(name: "d", type: .date, format: "%Y.%m.%d"))
                == .date(DateValue(year: 2022, month: 9, day: 2)!))
        #expect(
            check("2022년 9월 2일", SchemaField(name: "d", type: .date, format: "%Y년 %m월 %d일"))
                == .date(DateValue(year: 2022, month: 9, day: 2)!))
        #expect(check("2022-13-01", SchemaField(name: "d", type: .date)) == nil)
        #expect(
            check("1,234,000", SchemaField(name: "n", type: .number, groupChar: ","))
                == .decimal(ExactDecimal("1234000")!))
        #expect(
            check("1,234원", SchemaField(name: "n", type: .integer, groupChar: ",", bareNumber: false)) == .integer(1234)
        )
        #expect(check("12%", SchemaField(name: "n", type: .number, bareNumber: false)) == .decimal(ExactDecimal("12")!))
        #expect(check("1,2O0,000", SchemaField(name: "n", type: .number, groupChar: ",")) == nil)
        #expect(
            check("Y", SchemaField(name: "b", type: .boolean, trueValues: ["Y"], falseValues: ["N"])) == .boolean(true))
        #expect(check("X", SchemaField(name: "b", type: .boolean, trueValues: ["Y"], falseValues: ["N"])) == nil)
        #expect(check("01234", SchemaField(name: "code")) == .text("01234"))
        #expect(check("2022-09-02T14:30:00+09:00", SchemaField(name: "t", type: .datetime)) != nil)
        #expect(check("P1Y2M3DT4H", SchemaField(name: "p", type: .duration)) != nil)
        #expect(check("a@b.kr", SchemaField(name: "e", type: .string, format: "email")) != nil)
        #expect(check("not-an-email", SchemaField(name: "e", type: .string, format: "email")) == nil)
        #expect(
            check("123e4567-e89b-12d3-a456-426614174000", SchemaField(name: "u", type: .string, format: "uuid")) != nil)
        #expect(check("2022-10", SchemaField(name: "ym", type: .yearmonth)) == .date(DateValue(year: 2022, month: 10)!))
        #expect(check("126.9, 37.5", SchemaField(name: "g", type: .geopoint)) != nil)
    }

    @Test(arguments: [
        ("[0-9]{5}", "11110", true), ("[0-9]{5}", "2917A", false), ("[가-힣]{2,5}", "홍길동", true),
        ("[가-힣]{2,5}", "김", false), ("0[0-9]{1,2}-[0-9]{3,4}-[0-9]{4}", "02-123-4567", true),
        ("[0-9]{4}[.-]?[0-9]{2}[.-]?[0-9]{2}", "20220902", true), ("a|b", "b", true), ("(ab)+", "abab", true),
        ("\\d+\\.\\d", "3.5", true), ("[^,]+", "a,b", false),
        // Backtracking needed (the class overlaps what follows) and not needed.
        ("[0-9]+5", "12345", true), ("a*ab", "aaab", true), ("x?x", "x", true), ("[가-힣]+다", "합니다", true),
        ("[^a]+a", "bba", true), ("[0-9]+-[0-9]+", "12-34", true), ("[0-9]+-[0-9]+", "12-", false),
        ("[0-9]{1,2}[a-z]", "123a", false), ("[a-c]*[.-]?c", "abc", true)
    ])
    func patterns(source: String, text: String, matches: Bool) throws {
        let pattern = try Pattern(source)
        #expect(pattern.matches(text) == matches)
        // The validator's fast path matches the UTF-8 bytes directly: the same answers.
        #expect(Array(text.utf8).withUnsafeBufferPointer { pattern.matches(utf8: $0) } == matches)
    }
}

/// The byte matcher against Swift's own `Regex`, on random patterns of the simple subset
/// (classes, literals, quantifiers) over a small alphabet, so that overlaps and backtracking
/// are common: the same answer every time.
@Test func patternMatcherAgreesWithRegex() throws {
    var seed: UInt64 = 2022
    func next(_ bound: Int) -> Int {
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        return Int(seed >> 33) % bound
    }
    let atoms = ["a", "b", "-", "가", "[ab]", "[a-c]", "[^a]", "[가-힣]", "[0-9]", "\\d", "[.-]"]
    let quantifiers = ["", "", "?", "*", "+", "{2}", "{1,3}", "{0,2}", "{2,}"]
    let letters: [Character] = ["a", "b", "c", "-", ".", "1", "가", "힣"]
    for _ in 0..<400 {
        let source = (0..<(1 + next(4))).map { _ in atoms[next(atoms.count)] + quantifiers[next(quantifiers.count)] }
            .joined()
        let pattern = try Pattern(source)
        let regex = try Regex(source)
        for _ in 0..<25 {
            let text = String((0..<next(7)).map { _ in letters[next(letters.count)] })
            let expected = (try? regex.wholeMatch(in: text)) != nil
            #expect(
                Array(text.utf8).withUnsafeBufferPointer { pattern.matches(utf8: $0) } == expected,
                "\(source) on \(text)")
            #expect(pattern.matches(text) == expected, "\(source) on \(text)")
        }
    }
}

struct SchemaInferenceTests {
    func infer(_ file: String) throws -> TableSchema {
        try SchemaInference().infer(path: Fixtures.url("korean-csv/\(file)").path)
    }

    func type(_ schema: TableSchema, _ name: String) -> SchemaField.FieldType? {
        schema.fields.first { $0.name == name }?.type
    }

    @Test func codesStayStringsAndDatesAreFound() throws {
        let health = try infer("public-health-institutions.csv")
        #expect(type(health, "소재지 우편번호") == .string)
        #expect(type(health, "대표전화") == .string)
        #expect(type(health, "병상수") == .integer)
        let mosquito = try infer("seoul-mosquito-index.csv")
        #expect(type(mosquito, "모기지수 발생일") == .date)
        #expect(type(mosquito, "모기지수(수변부)") == .number)
        let airline = try infer("kosis-airline-company.csv")
        #expect(type(airline, "시점") == .string)  // "2005.10" is a period, not the number 2005.1
        let index = try infer("kosis-economic-index.csv")
        #expect(index.missingValues == ["", "-"])
        #expect(index.primaryKey == ["시점"])
    }

    /// Inference reads a CSV's bytes; records from any other source give the same schema.
    @Test(arguments: [
        "kosis-airline-company.csv", "kosis-economic-index.csv", "public-health-institutions.csv",
        "seoul-mosquito-index.csv", "seoul-subway-fee.csv"
    ])
    func bytesAndRecordsInferTheSameSchema(file: String) throws {
        let path = Fixtures.url("korean-csv/\(file)").path
        let fromBytes = try SchemaInference().infer(path: path)
        let fromRecords = try SchemaInference().infer(
            source: TextRecords(try CSVReader(path: path, options: SchemaInference().readOptions)))
        #expect(JSONText.render(fromBytes.descriptor) == JSONText.render(fromRecords.descriptor))
        #expect(fromBytes.fields.count > 2)
    }

    @Test func koreanFormsAndLeadingZeros() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("t.csv")
        try
            "code,day,kday,amount,flag\n01234,2022.09.02,2022년 9월 2일,\"1,234,000\",Y\n0540,2022.10.01,2022년 10월 1일,\"12,000\",N\n"
            .write(toFile: path, atomically: false, encoding: .utf8)
        let schema = try SchemaInference().infer(path: path)
        #expect(schema.fields.map(\.type) == [.string, .date, .date, .integer, .boolean])
        #expect(schema.fields[1].format == "%Y.%m.%d" && schema.fields[2].format == "%Y년 %m월 %d일")
        #expect(schema.fields[3].groupChar == ",")
        #expect(schema.primaryKey == ["code"])
        // The inferred schema validates its own table.
        var keys = TableValidator.KeyCollector()
        #expect(try TableValidator().validate(path: path, name: "t", schema: schema, keys: &keys).valid)
    }
}

/// The byte-level fast path may only ever say "valid": every subtly invalid cell still reports.
struct FastPathTests {
    @Test func subtleErrorsAreNotWaivedThrough() throws {
        let directory = try TemporaryDirectory()
        let schemaPath = directory.path("schema.json")
        try """
        {"fields": [
          {"name": "id", "type": "integer", "constraints": {"unique": true, "minimum": 1}},
          {"name": "lat", "type": "number", "groupChar": ",", "constraints": {"minimum": 33, "maximum": 39}},
          {"name": "code", "type": "string", "constraints": {"required": true, "pattern": "[0-9]{5}", "maxLength": 5}},
          {"name": "kind", "type": "string", "constraints": {"enum": ["가", "나"]}},
          {"name": "paid", "type": "boolean", "trueValues": ["Y"], "falseValues": ["N"]},
          {"name": "day", "type": "date"},
          {"name": "name", "type": "string", "constraints": {"pattern": "[가-힣]{2,5}"}}]}
        """.write(toFile: schemaPath, atomically: false, encoding: .utf8)
        let rows = [
            "1,33,11110,가,Y,2024-06-30,홍길동",  // valid
            "2,39.0000001,11110,가,Y,2024-06-30,홍길동",  // maximum
            "3,32.999,11110,가,Y,2024-06-30,홍길동",  // minimum
            "007,34,11110,가,Y,2024-06-30,홍길동",  // unique: 007 is 7? no; valid
            "7,34,11110,가,Y,2024-06-30,홍길동",  // unique: 7 repeats 007
            "0,34,11110,가,Y,2024-06-30,홍길동",  // id minimum
            "9,\"3,5\",11110,가,Y,2024-06-30,홍길동",  // 35 > 39? no: 35 valid
            "10,-0,11110,가,Y,2024-06-30,홍길동",  // minimum (0 < 33)
            "11,34,1111,가,Y,2024-06-30,홍길동",  // pattern
            "12,34,,가,Y,2024-06-30,홍길동",  // required
            "13,34,11110,다,Y,2024-06-30,홍길동",  // enum
            "14,34,11110,가,y,2024-06-30,홍길동",  // boolean
            "15,34,11110,가,Y,2024-02-30,홍길동",  // date
            "16,34,11110,가,Y,2024-06-30,김",  // pattern {2,5}
            "17,34,11110,가,Y,2024-06-30,가나다라마바",  // pattern {2,5}
            "18,3 4,11110,가,Y,2024-06-30,홍길동",  // type
            "19,34.,11110,가,Y,2024-06-30,홍길동",  // valid: "34." is a number, as in Python
            "20,34,\"111\"\"10\",가,Y,2024-06-30,홍길동",  // pattern: the code is 111"10
            "\"2\"\"1\",34,11110,가,Y,2024-06-30,홍길동",  // type: the id is 2"1
            "22,34,11110,\"가\"\"\",Y,2024-06-30,홍길동",  // enum: the kind is 가"
            "23,34,11110,가,Y,2024-06-30,\"홍\"\"길동\""  // pattern: the name is 홍"길동
        ]
        let dataPath = directory.path("data.csv")
        try ("id,lat,code,kind,paid,day,name\n" + rows.joined(separator: "\n") + "\n").write(
            toFile: dataPath, atomically: false, encoding: .utf8)
        var keys = TableValidator.KeyCollector()
        let task = try TableValidator().validate(
            path: dataPath, name: "t", schema: try TableSchema(path: schemaPath), keys: &keys)
        let invalidRows = Set(task.errors.compactMap(\.rowNumber))
        // The header is row 1, so rows[i] is row i + 2.
        #expect(invalidRows == [3, 4, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 19, 20, 21, 22])
        #expect(task.errors.contains { $0.rowNumber == 6 && $0.type == "unique-error" })
        #expect(task.rows == rows.count)
    }
}

/// A source that gives records only (the path of JSON, XML and other non-CSV sources).
private struct TextRecords: RecordSource {
    var base: any RecordSource

    init(_ base: any RecordSource) { self.base = base }

    var resourceName: String { base.resourceName }
    var schema: RecordSchema { base.schema }

    mutating func next(onReject: (Rejection) throws -> Void) throws -> Record? {
        try base.next(onReject: onReject)
    }
}
