import Foundation
import PublicaCore
import PublicaIngest
import PublicaTestSupport
import Testing

/// Long rows cost linear time, and rows over the record size limit stop with their place.
struct CSVLimitsTests {
    /// A 1 KiB buffer (and decoder chunk) makes every refill tiny: when each refill rescanned the
    /// field from its start, this 4 MB field took minutes; filled-to-the-brim retries take well under a second.
    @Test func aLongQuotedFieldWithDoubledQuotesCostsLinearTime() throws {
        let directory = try TemporaryDirectory()
        let piece = "ab\"\"cd"
        let count = 700_000
        let path = try write(
            "a,b\n1,\"" + String(repeating: piece, count: count) + "\"\n2,x\n", named: "q.csv", in: directory)
        let clock = ContinuousClock()
        let start = clock.now
        let (_, rows, _, _) = try readAll(path, CSVReadOptions(bufferSize: 1024))
        let elapsed = clock.now - start
        #expect(rows.count == 2)
        #expect(rows[0][1].utf8.count == count * 5)
        #expect(rows[1] == ["2", "x"])
        #expect(elapsed < .seconds(8), "took \(elapsed)")
    }

    @Test func aRowOverTheLimitIsALocatedError() throws {
        let directory = try TemporaryDirectory()
        let path = try write(
            "a,b\n1,2\n3,\"" + String(repeating: "x", count: 10_000) + "\"\n", named: "big.csv", in: directory)
        let error = try #require(throws: PublicaError.self) {
            _ = try readAll(path, CSVReadOptions(bufferSize: 1024, maxRecordBytes: 4096))
        }
        #expect(error.kind == .data)
        #expect(error.exitStatus == .dataError)
        #expect(error.location?.line == 3)
        #expect(error.location?.field == "b")
        #expect(error.message.contains("row 2"))
        #expect(error.message.contains("4 KiB"))
        #expect(error.message.contains("--max-record-size"))
    }

    @Test func anUnquotedRowOverTheLimitIsALocatedError() throws {
        let directory = try TemporaryDirectory()
        let path = try write("a\n" + String(repeating: "y", count: 50_000) + "\n", named: "big.csv", in: directory)
        let error = try #require(throws: PublicaError.self) {
            _ = try readAll(path, CSVReadOptions(bufferSize: 1024, maxRecordBytes: 8192))
        }
        #expect(error.location?.line == 2)
        #expect(error.location?.field == "a")
    }

    @Test func rowsUnderTheLimitAreRead() throws {
        let directory = try TemporaryDirectory()
        let long = String(repeating: "z", count: 3000)
        let path = try write("a,b\n1,\(long)\n2,\"\(long)\"\"\"\n", named: "ok.csv", in: directory)
        let (_, rows, _, _) = try readAll(path, CSVReadOptions(bufferSize: 1024, maxRecordBytes: 4096))
        #expect(rows == [["1", long], ["2", long + "\""]])
    }

    /// Like `/dev/zero`: no line break at all. The header is the row that runs on.
    @Test func anInputWithoutLineBreaksStopsAtTheLimit() throws {
        let directory = try TemporaryDirectory()
        let path = try write([UInt8](repeating: 0, count: 100_000), named: "zero.csv", in: directory)
        let error = try #require(throws: PublicaError.self) {
            _ = try readAll(path, CSVReadOptions(bufferSize: 1024, maxRecordBytes: 16 << 10))
        }
        #expect(error.location?.file == path)
        #expect(error.location?.line == 1)
        #expect(error.message.contains("header row"))
    }

    /// Title rows above the header are skipped line by line; an endless one hits the limit too.
    @Test func anEndlessSkippedLineStopsAtTheLimit() throws {
        let directory = try TemporaryDirectory()
        let path = try write(String(repeating: "t", count: 100_000), named: "title.csv", in: directory)
        let error = try #require(throws: PublicaError.self) {
            _ = try readAll(path, CSVReadOptions(headerRow: 2, bufferSize: 1024, maxRecordBytes: 16 << 10))
        }
        #expect(error.message.contains("a skipped line"))
        #expect(error.location?.line == 1)
        #expect(error.location?.field == nil)
    }

    @Test func theDefaultLimitIs32MiB() {
        #expect(CSVReadOptions().maxRecordBytes == 32 << 20)
        #expect(CSVReadOptions(SourceOptions(), defaultDelimiter: 0x2C).maxRecordBytes == 32 << 20)
        var options = SourceOptions()
        options.limits.maxRecordBytes = 1000
        #expect(CSVReadOptions(options, defaultDelimiter: 0x2C).maxRecordBytes == 1000)
    }

    @Test(arguments: [
        ("64MiB", 64 << 20), ("512KiB", 512 << 10), ("1GiB", 1 << 30), ("2MB", 2_000_000),
        ("1000", 1000), ("16m", 16 << 20)
    ])
    func sizesParse(text: String, bytes: Int) {
        #expect(ReadLimits.parseSize(text) == bytes)
    }

    @Test(arguments: ["", "MiB", "-1MiB", "0", "12x", "1.5MiB", "99999999999GiB"])
    func badSizesAreRefused(text: String) {
        #expect(ReadLimits.parseSize(text) == nil)
    }

    /// Repeated labels got their suffix by counting up from 2 each time: quadratic in the repeats.
    @Test func manyRepeatedLabelsAreMadeUniqueInLinearTime() {
        let clock = ContinuousClock()
        let start = clock.now
        let names = FieldNames.makeUnique([String](repeating: "a", count: 50_000))
        #expect(clock.now - start < .seconds(5))
        #expect(names[0] == "a" && names[1] == "a_2" && names[49_999] == "a_50000")
        #expect(Set(names).count == 50_000)
        #expect(FieldNames.makeUnique(["a", "a_2", "a", "a"]) == ["a", "a_2", "a_3", "a_4"])
    }
}
