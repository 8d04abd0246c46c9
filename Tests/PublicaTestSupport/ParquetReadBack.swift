/// A Parquet file as two third-party readers see it: pyarrow and DuckDB each give the column
/// types and the rows (decimals as plain text, dates and times ISO), and DuckDB's
/// `parquet_metadata` the row groups' statistics and encodings.
package struct ParquetReadBack {
    /// pyarrow's type names (`int64`, `decimal128(38, 2)`, `date32[day]`).
    package var arrowTypes: [String]
    package var arrowRows: [[String?]]
    /// DuckDB's type names (`BIGINT`, `DECIMAL(38,2)`, `DATE`).
    package var duckTypes: [String]
    package var duckRows: [[String?]]
    /// Rows per row group, as the footer says.
    package var rowGroups: [Int]
    /// Per row group, per column: min, max (DuckDB's rendering), null count, encodings.
    package var statistics: [[Chunk]]

    package struct Chunk: Equatable {
        package var min: String?
        package var max: String?
        package var nulls: Int?
        package var encodings: String

        package init(min: String?, max: String?, nulls: Int?, encodings: String) {
            self.min = min
            self.max = max
            self.nulls = nulls
            self.encodings = encodings
        }
    }

    static let script = """
        import json, sys, decimal, datetime
        import pyarrow.parquet as pq, duckdb
        path = sys.argv[1]
        def text(v):
            if v is None: return None
            if isinstance(v, bool): return "true" if v else "false"
            if isinstance(v, decimal.Decimal): return format(v, "f")
            if isinstance(v, (datetime.date, datetime.datetime)): return v.isoformat()
            return str(v)
        table = pq.read_table(path)
        arrow_rows = [[text(v) for v in row.values()] for row in table.to_pylist()]
        db = duckdb.connect()
        db.execute("SET TimeZone = 'UTC'")
        duck_rows = [[text(v) for v in row] for row in db.execute("SELECT * FROM read_parquet(?)", [path]).fetchall()]
        duck_types = [r[1] for r in db.execute("DESCRIBE SELECT * FROM read_parquet(?)", [path]).fetchall()]
        meta = pq.ParquetFile(path).metadata
        stats = db.execute(
            "SELECT row_group_id, stats_min_value, stats_max_value, stats_null_count, encodings "
            "FROM parquet_metadata(?) ORDER BY row_group_id, column_id", [path]).fetchall()
        groups = [[] for _ in range(meta.num_row_groups)]
        for g, lo, hi, nulls, enc in stats:
            groups[g].append([lo, hi, nulls, enc])
        print(json.dumps({
            "arrowTypes": [str(f.type) for f in table.schema], "arrowRows": arrow_rows,
            "duckTypes": duck_types, "duckRows": duck_rows,
            "rowGroups": [meta.row_group(i).num_rows for i in range(meta.num_row_groups)],
            "statistics": groups}, ensure_ascii=False))
        """

    package init(_ path: String) throws {
        let result = try PythonCheck.json(ParquetReadBack.script, [path]) as? [String: Any] ?? [:]
        func rows(_ key: String) -> [[String?]] {
            (result[key] as? [[Any]] ?? []).map { $0.map { $0 as? String } }
        }
        arrowTypes = result["arrowTypes"] as? [String] ?? []
        duckTypes = result["duckTypes"] as? [String] ?? []
        arrowRows = rows("arrowRows")
        duckRows = rows("duckRows")
        rowGroups = result["rowGroups"] as? [Int] ?? []
        statistics = (result["statistics"] as? [[[Any]]] ?? []).map { group in
            group.map {
                Chunk(min: $0[0] as? String, max: $0[1] as? String, nulls: $0[2] as? Int, encodings: "\($0[3])")
            }
        }
    }
}
