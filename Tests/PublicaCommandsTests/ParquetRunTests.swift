import Foundation
import PublicaTestSupport
import Testing

/// Parquet from the command line and from a release, checked against the same run's NDJSON by
/// pyarrow and DuckDB: over the CSV corpus (quotes, line breaks, Hangul, CP949) typed by
/// `publica infer`, and as a pipeline's per-resource output listed in the package and in DCAT.
@Suite struct ParquetRunTests {
    /// Reads `parquet` with pyarrow and DuckDB and `ndjson` with json, every value as text
    /// (numbers compared as decimals, so `0.10` at scale 2 is `0.1`); prints the first
    /// difference, or "same" and the row count.
    static let compare = """
        import json, sys, decimal, datetime
        import pyarrow.parquet as pq, duckdb
        parquet, ndjson = sys.argv[1], sys.argv[2]
        def text(v):
            if v is None or v == "": return None
            if isinstance(v, bool): return "true" if v else "false"
            if isinstance(v, (int, float, decimal.Decimal)):
                d = decimal.Decimal(str(v)).normalize()
                return format(d, "f")
            if isinstance(v, (datetime.date, datetime.datetime)): return v.isoformat()
            return str(v)
        table = pq.read_table(parquet)
        names = table.schema.names
        arrow = [[text(r[n]) for n in names] for r in table.to_pylist()]
        duck = [[text(v) for v in row] for row in duckdb.connect().execute(
            "SELECT * FROM read_parquet(?)", [parquet]).fetchall()]
        lines = [json.loads(l, parse_float=decimal.Decimal) for l in open(ndjson, encoding="utf-8") if l.strip()]
        expected = [[text(r.get(n)) for n in names] for r in lines]
        for label, rows in (("pyarrow", arrow), ("duckdb", duck)):
            if rows != expected:
                bad = next((i for i in range(min(len(rows), len(expected))) if rows[i] != expected[i]), None)
                print(json.dumps(f"{label}: {len(rows)} rows, NDJSON {len(expected)}; row {bad}: "
                    f"{rows[bad] if bad is not None else ''} != {expected[bad] if bad is not None else ''}",
                    ensure_ascii=False))
                sys.exit(0)
        print(json.dumps(f"same {len(expected)}"))
        """

    @Test(arguments: [
        "korean-csv/kosis-airline-company.csv", "korean-csv/kosis-economic-index.csv",
        "korean-csv/mois-gangwon-5age-2018-2020.csv", "korean-csv/public-health-institutions.csv",
        "korean-csv/seoul-mosquito-index.csv", "korean-csv/seoul-subway-fee.csv",
        "korean-csv/weather-portal-export.csv", "csv-spectrum/csvs/escaped_quotes.csv",
        "csv-spectrum/csvs/quotes_and_newlines.csv", "csv-spectrum/csvs/newlines_crlf.csv",
        "csv-spectrum/csvs/utf8.csv", "csv-spectrum/csvs/location_coordinates.csv", "frictionless/table.csv"
    ])
    func theCorpusReadsBackAsItsNDJSON(_ fixture: String) throws {
        let directory = try TemporaryDirectory()
        let input = Fixtures.url(fixture).path
        let schema = directory.path("schema.json")
        // The weather portal's export has its search conditions above the header.
        let options = fixture.contains("weather") ? ["--header-row", "auto"] : []
        let (inferred, problems) = try runPublicaBinary(["infer", input] + options, standardOutput: schema)
        #expect(inferred == 0, "\(problems)")
        for output in ["out.parquet", "out.ndjson"] {
            let (code, errors) = try runPublicaBinary(
                ["convert", input, directory.path(output), "--schema", schema] + options)
            // 3: published, with rejects (the weather export's trailing lines of tabs), the same in both.
            #expect(code == 0 || code == 3, "\(output): \(errors)")
        }
        let verdict = try PythonCheck.json(
            ParquetRunTests.compare, [directory.path("out.parquet"), directory.path("out.ndjson")])
        #expect((verdict as? String)?.hasPrefix("same") == true, "\(fixture): \(verdict)")
        #expect((verdict as? String) != "same 0", "\(fixture) has rows")
    }

    @Test func aValueOutsideItsTypeIsExit65WithItsPlace() throws {
        let directory = try TemporaryDirectory()
        try "id,amount\n1,0.5\n2,0.125\n".write(toFile: directory.path("in.csv"), atomically: true, encoding: .utf8)
        try #"{"fields": [{"name": "id", "type": "integer"}, {"name": "amount", "type": "number", "scale": 2}]}"#
            .write(toFile: directory.path("schema.json"), atomically: true, encoding: .utf8)
        let (code, errors) = try runPublicaBinary([
            "convert", directory.path("in.csv"), directory.path("out.parquet"), "--schema",
            directory.path("schema.json")
        ])
        #expect(code == 65)
        #expect(errors.contains("in.csv:3") && errors.contains("\"0.125\" in field \"amount\""), "\(errors)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("out.parquet")))
    }

    @Test func aReleaseHasAParquetFilePerResourceInItsPackageAndCatalogue() throws {
        let directory = try TemporaryDirectory()
        try "code,name,people,share\n4211,강원도 춘천시,286000,0.18\n4213,강원도 원주시,356000,0.23\n".write(
            toFile: directory.path("regions.csv"), atomically: true, encoding: .utf8)
        let text = """
            version: 2
            name: gangwon
            title: 강원 인구
            license: KOGL-Type1
            publisher: {name: 강원도, url: https://www.gwd.go.kr}
            output: out/
            formats: [csv, parquet]
            resources:
              regions:
                source: {path: regions.csv}
                schema:
                  fields:
                    - {name: code, type: string}
                    - {name: name, type: string}
                    - {name: people, type: integer}
                    - {name: share, type: number}
                  primaryKey: [code]
                steps: [{cast: {}}]
            """
        try text.write(toFile: directory.path("p.yaml"), atomically: true, encoding: .utf8)
        let (code, errors) = try runPublicaBinary(["run", directory.path("p.yaml")])
        #expect(code == 0, "\(errors)")
        let read = try ParquetReadBack(directory.path("out/regions.parquet"))
        #expect(read.arrowTypes == ["string", "string", "int64", "decimal128(38, 2)"])
        #expect(read.duckRows == [["4211", "강원도 춘천시", "286000", "0.18"], ["4213", "강원도 원주시", "356000", "0.23"]])

        let package =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: directory.path("out/datapackage.json")))) as? [String: Any]
        let resources = try #require(package?["resources"] as? [[String: Any]])
        let parquet = try #require(resources.first { $0["format"] as? String == "parquet" })
        #expect(parquet["path"] as? String == "regions.parquet")
        #expect(parquet["mediatype"] as? String == "application/vnd.apache.parquet")
        let catalogue = try String(contentsOfFile: directory.path("out/dcat.jsonld"), encoding: .utf8)
        #expect(catalogue.contains("application/vnd.apache.parquet") && catalogue.contains("regions.parquet"))
    }
}
