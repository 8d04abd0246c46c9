import PublicaCore
import PublicaIngest
import PublicaJSON
import PublicaTestSupport
import Testing

/// JSON numbers pass through as written, keys are made unique, and a giant value hits the record limit.
struct JSONLimitsTests {
    func read(_ path: String, limits: ReadLimits = ReadLimits()) throws -> (
        names: [String], records: [Record], rejected: [Rejection]
    ) {
        let reader = try JSONRecordReader(path: path, limits: limits)
        var records: [Record] = []
        var rejected: [Rejection] = []
        while let record = try reader.next(onReject: { rejected.append($0) }) { records.append(record) }
        return (reader.schema.fieldNames, records, rejected)
    }

    /// `1e9999` was expanded into 10,000 digits (650 KB of lines became a 500 MB CSV), and
    /// `1e100000` was refused although it is valid JSON.
    @Test(arguments: ["1e9999", "1e100000", "-2.5E-3", "1E2", "6.02e+23", "1e-400"])
    func numbersWithAnExponentPassThroughAsWritten(token: String) throws {
        let directory = try TemporaryDirectory()
        let path = try write("{\"a\":\(token)}\n", named: "n.ndjson", in: directory)
        let (_, records, _) = try read(path)
        let value = records[0].values[0]
        #expect(value.textValue == token)
        #expect(JSONText.render(value) == token)
        guard case .decimal(let number) = value else {
            Issue.record("expected a decimal, got \(value)")
            return
        }
        #expect(number.description.utf8.count == token.utf8.count)
    }

    @Test func plainNumbersStayCanonicalAndExact() throws {
        let directory = try TemporaryDirectory()
        let path = try write(#"{"a":1.50,"b":12345678901234567890123,"c":-7}"#, named: "p.json", in: directory)
        let (_, records, _) = try read(path)
        #expect(records[0].values.map(\.textValue) == ["1.5", "12345678901234567890123", "-7"])
    }

    /// A number kept as written still compares and equals by value.
    @Test func writtenNumbersCompareByValue() throws {
        let huge = try #require(ExactDecimal(writtenAs: "1e9999"))
        let alsoHuge = try #require(ExactDecimal(writtenAs: "10e9998"))
        let hundred = try #require(ExactDecimal(writtenAs: "1E2"))
        #expect(huge == alsoHuge)
        #expect(huge.hashValue == alsoHuge.hashValue)
        #expect(hundred == ExactDecimal("100")!)
        #expect(hundred.hashValue == ExactDecimal("100")!.hashValue)
        #expect(ExactDecimal("123456")! < huge)
        #expect(try #require(ExactDecimal(writtenAs: "-1e9999")) < ExactDecimal("-5")!)
        #expect(try #require(ExactDecimal(writtenAs: "1e-400")) < ExactDecimal("0.0001")!)
        #expect(ExactDecimal("0")! < (try #require(ExactDecimal(writtenAs: "1e-400"))))
        #expect(huge.int64Value == nil && huge.isWhole)
    }

    @Test func aGiantValueIsALocatedErrorAtItsStart() throws {
        let directory = try TemporaryDirectory()
        let giant = "{\"a\":\"" + String(repeating: "x", count: 3 << 20) + "\"}\n"
        let path = try write("{\"a\":\"small\"}\n" + giant, named: "g.ndjson", in: directory)
        let error = try #require(throws: PublicaError.self) {
            _ = try read(path, limits: ReadLimits(maxRecordBytes: 1 << 20))
        }
        #expect(error.exitStatus == .dataError)
        #expect(error.location?.line == 2)
        #expect(error.message.contains("1 MiB"))
        #expect(error.message.contains("--max-record-size"))
        // Under a limit that fits, the same file reads.
        #expect(try read(path, limits: ReadLimits(maxRecordBytes: 8 << 20)).records.count == 2)
    }

    @Test func theLimitCountsEachValueNotTheFile() throws {
        let directory = try TemporaryDirectory()
        let line = "{\"a\":\"" + String(repeating: "y", count: 100_000) + "\"}\n"
        let path = try write(String(repeating: line, count: 40), named: "many.ndjson", in: directory)
        #expect(try read(path, limits: ReadLimits(maxRecordBytes: 1 << 20)).records.count == 40)
        let array = try write(
            "["
                + [String](repeating: "{\"a\":\"" + String(repeating: "z", count: 100_000) + "\"}", count: 40)
                .joined(separator: ",") + "]", named: "many.json", in: directory)
        #expect(try read(array, limits: ReadLimits(maxRecordBytes: 1 << 20)).records.count == 40)
    }

    /// The key `""` became a blank CSV header line, which the next step dropped with the first record.
    @Test func blankAndRepeatedKeysAreMadeUniqueLikeACSVHeader() throws {
        let directory = try TemporaryDirectory()
        let path = try write(
            "{\"\":1,\"a\":2,\"a\":3}\n{\"a\":5,\"\":4,\"a\":6}\n{\"a\":7}\n{\"a\":8,\"a\":9,\"a\":10}\n",
            named: "k.ndjson", in: directory)
        let (names, records, rejected) = try read(path)
        #expect(names == ["field_1", "a", "a_2"])
        #expect(records.map(\.values) == [[1, 2, 3], [4, 5, 6], [nil, 7, nil]])
        #expect(rejected.count == 1)
        #expect(rejected.first?.fieldNames == ["a", "a_2", "a_3"])
        #expect(rejected.first?.rawValues == ["8", "9", "10"])
    }
}
