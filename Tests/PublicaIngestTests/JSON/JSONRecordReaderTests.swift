import PublicaCore
import PublicaIngest
import PublicaTestSupport
import Testing

struct JSONRecordReaderTests {
    func records(_ path: String) throws -> ([String], [Record], [Rejection]) {
        let reader = try JSONRecordReader(path: path)
        var records: [Record] = []
        var rejected: [Rejection] = []
        while let record = try reader.next(onReject: { rejected.append($0) }) { records.append(record) }
        return (reader.schema.fieldNames, records, rejected)
    }

    @Test func arrayOfObjectsKeepsKeyOrderAndTypes() throws {
        let directory = try TemporaryDirectory()
        let path = try write(
            #"[{"z":"01234","a":1,"m":0.10,"t":true,"n":null,"o":{"k":[1,"\u00e9\ud83d\ude00"]}}]"#,
            named: "a.json", in: directory)
        let (names, records, _) = try records(path)
        #expect(names == ["z", "a", "m", "t", "n", "o"])
        #expect(records[0].values[0] == .text("01234"))
        #expect(records[0].values[1] == .integer(1))
        #expect(records[0].values[2] == .decimal(ExactDecimal("0.1")!))
        #expect(records[0].values[5] == .object([("k", .list([.integer(1), .text("é😀")]))]))
    }

    @Test func ndjsonLinesWithMissingAndUnknownKeys() throws {
        let directory = try TemporaryDirectory()
        let path = try write("{\"a\":1,\"b\":2}\n{\"a\":3}\n\n{\"a\":4,\"c\":5}\n", named: "a.ndjson", in: directory)
        let (_, records, rejected) = try records(path)
        #expect(records.map(\.values) == [[1, 2], [3, nil]])
        #expect(rejected.count == 1 && rejected[0].provenance.line == 4 && rejected[0].field == "c")
    }

    @Test(arguments: [#"[{"a":1},"#, #"{"a":01}"#, #"{"a":"x"#, #"{"a" 1}"#, "[1]", #"{"a":"\q"}"#])
    func malformedJSONIsADataError(text: String) throws {
        let directory = try TemporaryDirectory()
        let path = try write(text, named: "bad.json", in: directory)
        let error = #expect(throws: PublicaError.self) { try records(path) }
        #expect(error?.exitStatus == .dataError)
        #expect(error?.location?.line == 1)
    }
}
