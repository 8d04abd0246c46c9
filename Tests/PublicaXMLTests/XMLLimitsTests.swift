import Foundation
import PublicaCore
import PublicaTestSupport
import PublicaXML
import Testing

/// XML text nodes and records over the record limit, and records past the field limit, stop with their place.
struct XMLLimitsTests {
    @Test func aGiantTextNodeIsALocatedError() throws {
        let directory = try TemporaryDirectory()
        let path = try xmlFile(
            "<r>\n<i><a>1</a></i>\n<i><a>" + String(repeating: "x", count: 300_000) + "</a></i></r>", directory)
        let options = XMLReadOptions(
            recordPath: RecordPath("//i"), chunkSize: 4096,
            limits: ReadLimits(maxRecordBytes: 64 << 10))
        let error = try #require(throws: PublicaError.self) { _ = try readXML(path, options) }
        #expect(error.exitStatus == .dataError)
        #expect(error.location?.line == 3)
        #expect(error.message.contains("text node"))
        #expect(error.message.contains("64 KiB"))
        #expect(error.message.contains("--max-record-size"))
    }

    @Test func aRecordOfManyTextNodesOverTheLimitIsALocatedError() throws {
        let directory = try TemporaryDirectory()
        let children = (0..<200).map { _ in "<c>" + String(repeating: "y", count: 1000) + "</c>" }.joined()
        let path = try xmlFile("<r><i><a>1</a></i><i>\(children)</i></r>", directory)
        let options = XMLReadOptions(recordPath: RecordPath("//i"), limits: ReadLimits(maxRecordBytes: 64 << 10))
        let error = try #require(throws: PublicaError.self) { _ = try readXML(path, options) }
        #expect(error.message.contains("record 2"))
        // The same file under a limit that fits.
        let (_, records, _, _) = try readXML(path, XMLReadOptions(recordPath: RecordPath("//i")))
        #expect(records.count == 2)
    }

    /// Records that each bring new children made every record as wide as all of them together:
    /// 400 records of 400 distinct children (3.3 MB) wrote 989 MB of nulls.
    @Test func recordsPastTheFieldLimitStopWithTheRecordAndField() throws {
        let directory = try TemporaryDirectory()
        let records = (0..<50).map { record in
            "<i>" + (0..<30).map { "<f\(record)_\($0)>v</f\(record)_\($0)>" }.joined() + "</i>"
        }
        let path = try xmlFile("<r>\n" + records.joined(separator: "\n") + "\n</r>", directory)
        let options = XMLReadOptions(recordPath: RecordPath("//i"), limits: ReadLimits(maxFields: 100))
        let error = try #require(throws: PublicaError.self) { _ = try readXML(path, options) }
        #expect(error.exitStatus == .dataError)
        #expect(error.message.contains("record 4"))
        #expect(error.message.contains("100 distinct fields"))
        #expect(error.message.contains("--max-fields"))
        #expect(error.location?.line == 5)
        #expect(error.location?.field == "f3_10")
    }

    @Test func fieldsUpToTheLimitAreRead() throws {
        let directory = try TemporaryDirectory()
        let records = (0..<4).map { record in
            "<i>" + (0..<25).map { "<f\(record)_\($0)>v</f\(record)_\($0)>" }.joined() + "</i>"
        }
        let path = try xmlFile("<r>" + records.joined() + "</r>", directory)
        let (names, read, _, _) = try readXML(
            path, XMLReadOptions(recordPath: RecordPath("//i"), limits: ReadLimits(maxFields: 100)))
        #expect(names.count == 100)
        #expect(read.count == 4)
        #expect(read.allSatisfy { $0.values.count == 100 })
    }

    /// A record rejected for a field the fixed list lacks kept only the known fields' values:
    /// the new field's value was lost. Small chunks move the record's bytes while it is built.
    @Test func aRejectedRecordKeepsTheValuesOfItsUnknownFields() throws {
        let directory = try TemporaryDirectory()
        let file = try xmlFile("<r><i><a>1</a></i><i><a>3</a><late>x</late><later>yz</later></i></r>", directory)
        let (_, records, rejected, _) = try readXML(
            file, XMLReadOptions(recordPath: RecordPath("//i"), schemaSampleSize: 1, chunkSize: 7))
        #expect(records.count == 1)
        #expect(rejected.count == 1)
        #expect(rejected.first?.fieldNames == ["a", "late", "later"])
        #expect(rejected.first?.rawValues == ["3", "x", "yz"])
    }

    @Test func theDefaultsAre32MiBAnd1000Fields() {
        #expect(XMLReadOptions().limits == ReadLimits(maxRecordBytes: 32 << 20, maxFields: 1000))
    }
}
