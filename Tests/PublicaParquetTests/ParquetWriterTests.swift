import Foundation
import PublicaCore
import PublicaExport
import PublicaParquet
import PublicaTestSupport
import Testing

/// Parquet files read back by pyarrow and DuckDB: every type as the schema declares it, nulls,
/// Hangul, the edges of 64-bit integers, decimals and old dates, dictionaries that give up,
/// row groups and pages with their statistics, and values that do not fit refused by name.
@Suite struct ParquetWriterTests {
    func field(_ name: String, _ type: String?, scale: Int? = nil) -> TableDescription.Field {
        .init(name: name, type: type, scale: scale)
    }

    func record(_ values: [FieldValue], line: Int) -> Record {
        Record(values: values, provenance: Provenance(source: "places.csv", line: line, recordNumber: line - 1))
    }

    /// Writes `rows` (texts; nil is null) into `name` typed by `fields`; the file's path.
    func write(
        _ rows: [[FieldValue]], fields: [TableDescription.Field], in directory: borrowing TemporaryDirectory,
        layout: ParquetLayout = ParquetLayout()
    ) throws -> String {
        let path = directory.path("table.parquet")
        let table = TableDescription(name: "table", fields: fields)
        var writer = ParquetWriter(file: try OutputFile(path: path, hashing: false), description: table, layout: layout)
        try writer.begin(schema: RecordSchema(fieldNames: fields.map(\.name)))
        for (index, row) in rows.enumerated() { try writer.write(record(row, line: index + 2)) }
        try writer.finish()
        return path
    }

    func texts(_ rows: [[String?]]) -> [[FieldValue]] { rows.map { $0.map { $0.map(FieldValue.text) ?? .null } } }

    @Test func everyTypeReadsBackTheSameInPyarrowAndDuckDB() throws {
        let directory = try TemporaryDirectory()
        let fields = [
            field("code", "string"), field("name", nil), field("count", "integer"), field("amount", "number", scale: 2),
            field("share", "number"), field("day", "date"), field("seen", "datetime"), field("stamp", "datetime"),
            field("open", "boolean"), field("year", "year")
        ]
        let rows: [[FieldValue]] = [
            [
                .text("0042"), .text("강원도 춘천시"), .integer(286_000), .decimal(ExactDecimal("1234.5")!),
                .text("0.125"), .date(DateValue(year: 2022, month: 9, day: 2)!), .text("2022-09-02T14:30:00"),
                .text("2022-09-02T14:30:00+09:00"), .boolean(true), .text("2022")
            ],
            [.null, .text(""), .text("-7"), .text("-0.01"), .text("3"), .null, .null, .null, .text("FALSE"), .null],
            [
                .text("say \"hi\""), .text("역사"), .null, .null, .text("1e2"), .text("1969-12-31"),
                .text("1969-12-31T23:59:59.5"), .text("1970-01-01T00:00:00Z"), .null, .text("1900")
            ]
        ]
        let read = try ParquetReadBack(try write(rows, fields: fields, in: directory))
        #expect(
            read.arrowTypes == [
                "string", "string", "int64", "decimal128(38, 2)", "decimal128(38, 3)", "date32[day]", "timestamp[us]",
                "timestamp[us, tz=UTC]", "bool", "int32"
            ])
        #expect(
            read.duckTypes == [
                "VARCHAR", "VARCHAR", "BIGINT", "DECIMAL(38,2)", "DECIMAL(38,3)", "DATE", "TIMESTAMP",
                "TIMESTAMP WITH TIME ZONE", "BOOLEAN", "INTEGER"
            ])
        let expected: [[String?]] = [
            [
                "0042", "강원도 춘천시", "286000", "1234.50", "0.125", "2022-09-02", "2022-09-02T14:30:00",
                "2022-09-02T05:30:00+00:00", "true", "2022"
            ],
            [nil, nil, "-7", "-0.01", "3.000", nil, nil, nil, "false", nil],
            [
                "say \"hi\"", "역사", nil, nil, "100.000", "1969-12-31", "1969-12-31T23:59:59.500000",
                "1970-01-01T00:00:00+00:00", nil, "1900"
            ]
        ]
        #expect(read.arrowRows == expected)
        #expect(read.duckRows == expected)
    }

    @Test func anEmptyTableKeepsItsColumns() throws {
        let directory = try TemporaryDirectory()
        let read = try ParquetReadBack(
            try write([], fields: [field("id", "integer"), field("name", "string")], in: directory))
        #expect(read.arrowTypes == ["int64", "string"])
        #expect(read.duckTypes == ["BIGINT", "VARCHAR"])
        #expect(read.arrowRows.isEmpty && read.duckRows.isEmpty && read.rowGroups.isEmpty)
    }

    @Test func anAllNullColumnHasItsNullCountAndNoBounds() throws {
        let directory = try TemporaryDirectory()
        let rows = texts([["1", nil, nil], ["2", nil, ""], ["3", "", nil]])
        let fields = [field("id", "integer"), field("note", "number"), field("name", "string")]
        let read = try ParquetReadBack(try write(rows, fields: fields, in: directory))
        #expect(read.arrowTypes == ["int64", "decimal128(38, 0)", "string"])
        #expect(read.arrowRows == [["1", nil, nil], ["2", nil, nil], ["3", nil, nil]])
        #expect(read.duckRows == read.arrowRows)
        #expect(read.statistics.first?[0] == .init(min: "1", max: "3", nulls: 0, encodings: "PLAIN, RLE"))
        #expect(read.statistics.first?[1] == .init(min: nil, max: nil, nulls: 3, encodings: "PLAIN, RLE"))
        #expect(read.statistics.first?[2] == .init(min: nil, max: nil, nulls: 3, encodings: "PLAIN, RLE"))
    }

    @Test func theEdgesOfIntegersDecimalsAndDates() throws {
        let directory = try TemporaryDirectory()
        let nines = String(repeating: "9", count: 38)
        let fields = [
            field("big", "integer"), field("wide", "number", scale: 0), field("money", "number", scale: 2),
            field("day", "date")
        ]
        let rows = texts([
            ["-9223372036854775808", nines, "0", "0001-01-01"],
            ["9223372036854775807", "-" + nines, "-0", "1900-01-01"],
            ["0", "1e3", ".5", "2000-02-29"],
            ["-1", "-0", "-12345678901234567890123456789012345.67", "9999-12-31"],
            ["+5", "007", "1.50", "1582-10-04"]
        ])
        let read = try ParquetReadBack(try write(rows, fields: fields, in: directory))
        let expected: [[String?]] = [
            ["-9223372036854775808", nines, "0.00", "0001-01-01"],
            ["9223372036854775807", "-" + nines, "0.00", "1900-01-01"],
            ["0", "1000", "0.50", "2000-02-29"],
            ["-1", "0", "-12345678901234567890123456789012345.67", "9999-12-31"],
            ["5", "7", "1.50", "1582-10-04"]
        ]
        #expect(read.arrowRows == expected)
        #expect(read.duckRows == expected)
        let bounds = read.statistics.first?.map { [$0.min, $0.max] }
        #expect(bounds?[0] == ["-9223372036854775808", "9223372036854775807"])
        #expect(bounds?[1] == ["-" + nines, nines])
        #expect(bounds?[2] == ["-12345678901234567890123456789012345.67", "1.50"])
        #expect(bounds?[3] == ["0001-01-01", "9999-12-31"])
    }

    @Test func aDictionaryGivesWayToPlainPastItsLimit() throws {
        let directory = try TemporaryDirectory()
        let rows = texts((0..<300).map { [String(format: "코드-%04d", $0), $0 % 3 == 0 ? "서울" : "부산"] })
        let layout = ParquetLayout(pageBytes: 512, dictionaryBytes: 256)
        let read = try ParquetReadBack(
            try write(rows, fields: [field("code", "string"), field("city", "string")], in: directory, layout: layout))
        #expect(read.arrowRows == rows.map { $0.map(\.textValue) })
        #expect(read.duckRows == read.arrowRows)
        #expect(read.statistics.first?.map(\.encodings) == ["PLAIN, RLE", "PLAIN, RLE, RLE_DICTIONARY"])
        #expect(read.statistics.first?[0].min == "코드-0000" && read.statistics.first?[0].max == "코드-0299")
        #expect(read.statistics.first?[1].min == "부산" && read.statistics.first?[1].max == "서울")
    }

    @Test func rowGroupsAndPagesEachHaveTheirStatistics() throws {
        let directory = try TemporaryDirectory()
        let rows = texts((1...10).map { [String($0 * 10), $0 == 5 ? nil : "이름\($0)", "\($0).5"] })
        let layout = ParquetLayout(rowGroupRows: 4, pageBytes: 16)
        let fields = [field("id", "integer"), field("name", "string"), field("share", "number")]
        let read = try ParquetReadBack(try write(rows, fields: fields, in: directory, layout: layout))
        #expect(read.rowGroups == [4, 4, 2])
        #expect(read.arrowRows == rows.map { $0.map(\.textValue) })
        #expect(read.duckRows == read.arrowRows)
        #expect(read.statistics.map { [$0[0].min, $0[0].max] } == [["10", "40"], ["50", "80"], ["90", "100"]])
        #expect(read.statistics.map { $0[1].nulls } == [0, 1, 0])
        #expect(read.statistics[2][1].min == "이름10" && read.statistics[2][1].max == "이름9")
        #expect(read.statistics[1][2].min == "5.5" && read.statistics[1][2].max == "8.5")
    }

    @Test func aRowGroupIsCutByItsBytesOnTheRowThatPassesThem() throws {
        let directory = try TemporaryDirectory()
        // Each row holds 3 KiB of distinct text: a 10 KiB target cuts a group every 4 rows, well
        // before the 1,024 rows a coarser check would wait for.
        let rows = texts((1...10).map { [String(repeating: "\($0 % 10)", count: 3 << 10)] })
        let layout = ParquetLayout(rowGroupBytes: 10 << 10)
        let read = try ParquetReadBack(
            try write(rows, fields: [field("text", "string")], in: directory, layout: layout))
        #expect(read.rowGroups == [4, 4, 2])
        #expect(read.arrowRows == rows.map { $0.map(\.textValue) })
    }

    func refusal(
        _ rows: [[String?]], _ fields: [TableDescription.Field], layout: ParquetLayout = ParquetLayout()
    ) throws -> String {
        let directory = try TemporaryDirectory()
        do {
            _ = try write(texts(rows), fields: fields, in: directory, layout: layout)
        } catch let error as PublicaError {
            #expect(error.kind == .data)
            // Nothing is published from a refused table.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path("")).isEmpty)
            return error.description
        }
        Issue.record("the table was written")
        return ""
    }

    @Test func aValueThatDoesNotFitIsRefusedWithItsFieldAndRecord() throws {
        let money = [field("id", "integer"), field("money", "number", scale: 2)]
        let finer = try refusal([["1", "1.5"], ["2", "1.234"]], money)
        #expect(finer.hasPrefix("places.csv:3"), "\(finer)")
        #expect(finer.contains("\"1.234\" in field \"money\" has 3 digits after the point"), "\(finer)")
        let word = try refusal([["x1", "1"]], money)
        #expect(word.contains("\"x1\" in field \"id\" is not an integer") && word.hasPrefix("places.csv:2"), "\(word)")
        let long = try refusal([["1", "1" + String(repeating: "0", count: 37)]], money)
        #expect(long.contains("more than 38 digits at scale 2"), "\(long)")
        // With no declared scale, the first row group fixes it; a finer value later asks for one.
        let later = try refusal(
            [["1", "1.5"], ["2", "2.25"], ["3", "3.125"]], [field("id", "integer"), field("share", "number")],
            layout: ParquetLayout(rowGroupRows: 2))
        #expect(later.hasPrefix("places.csv:4") && later.contains("declare \"scale\""), "\(later)")
        let zone = try refusal([["2022-09-02T00:00:00Z"], ["2022-09-02T00:00:00"]], [field("at", "datetime")])
        #expect(zone.contains("has no UTC offset"), "\(zone)")
        let day = try refusal([["2022-02-30"]], [field("day", "date")])
        #expect(day.contains("is not a date"), "\(day)")
    }
}
