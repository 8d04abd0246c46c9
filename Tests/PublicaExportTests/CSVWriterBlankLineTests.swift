import Foundation
import PublicaCore
import PublicaExport
import PublicaIngest
import PublicaJSON
import PublicaTestSupport
import Testing

/// A CSV line of one empty field is written `""`: as a blank line, a reader skips it.
struct CSVWriterBlankLineTests {
    func writeCSV(schema: RecordSchema, records: [Record], in directory: borrowing TemporaryDirectory) throws -> String
    {
        let path = directory.path("out.csv")
        var writer = CSVWriter(file: try OutputFile(path: path), lineEnding: .lf)
        try writer.begin(schema: schema)
        for record in records { try writer.write(record) }
        try writer.finish()
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func aSingleBlankHeaderAndEmptyValuesAreQuoted() throws {
        let directory = try TemporaryDirectory()
        let provenance = Provenance(source: "t", line: 1, endLine: 1, recordNumber: 1)
        let text = try writeCSV(
            schema: RecordSchema(fieldNames: [""]),
            records: [
                Record(values: [""], provenance: provenance), Record(values: [nil], provenance: provenance),
                Record(values: ["x"], provenance: provenance)
            ], in: directory)
        #expect(text == "\"\"\n\"\"\n\"\"\nx\n")
        let (names, rows, _, _) = try readBack(directory.path("out.csv"))
        #expect(names == ["field_1"])
        #expect(rows == [[""], [""], ["x"]])
    }

    @Test func wideRowsOfEmptyFieldsAreUnchanged() throws {
        let directory = try TemporaryDirectory()
        let provenance = Provenance(source: "t", line: 1, endLine: 1, recordNumber: 1)
        let text = try writeCSV(
            schema: RecordSchema(fieldNames: ["a", "b"]),
            records: [Record(values: ["", ""], provenance: provenance)], in: directory)
        #expect(text == "a,b\n,\n")
    }

    /// NDJSON with the keys `""` and a repeated `a` -> CSV -> NDJSON: every record and value arrives.
    @Test func ndjsonToCSVToNDJSONLosesNothing() throws {
        let directory = try TemporaryDirectory()
        let input = directory.path("in.ndjson")
        try "{\"\":\"1\",\"a\":\"2\",\"a\":\"3\"}\n{\"\":\"\",\"a\":\"5\",\"a\":\"6\"}\n{\"\":\"7\"}\n"
            .write(toFile: input, atomically: false, encoding: .utf8)
        let json = try JSONRecordReader(path: input)
        var records: [Record] = []
        while let record = try json.next(onReject: { Issue.record("rejected: \($0.message)") }) {
            records.append(record)
        }
        _ = try writeCSV(schema: json.schema, records: records, in: directory)
        let (names, rows, rejected, _) = try readBack(directory.path("out.csv"))
        #expect(names == ["field_1", "a", "a_2"])
        #expect(rows == [["1", "2", "3"], ["", "5", "6"], ["7", "", ""]])
        #expect(rejected.isEmpty)
        let single = directory.path("single.ndjson")
        try "{\"\":\"\"}\n{\"\":\"b\"}\n".write(toFile: single, atomically: false, encoding: .utf8)
        let one = try JSONRecordReader(path: single)
        var oneRecords: [Record] = []
        while let record = try one.next(onReject: { _ in }) { oneRecords.append(record) }
        let text = try writeCSV(schema: RecordSchema(fieldNames: [""]), records: oneRecords, in: directory)
        let back = try readBack(directory.path("out.csv"))
        #expect(back.rows == [[""], ["b"]], "written as \(text.debugDescription)")
    }

    func readBack(_ path: String) throws -> (
        names: [String], rows: [[String]], rejected: [Rejection], reader: CSVReader
    ) {
        let reader = try CSVReader(path: path)
        var rows: [[String]] = []
        var rejected: [Rejection] = []
        while let record = try reader.next(onReject: { rejected.append($0) }) {
            rows.append(record.values.map { $0.textValue ?? "" })
        }
        return (reader.schema.fieldNames, rows, rejected, reader)
    }
}
