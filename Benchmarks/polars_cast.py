"""Polars: the registry CSV cast to the Table Schema's types, to NDJSON (the peer of
`publica run` with `cast` and of `publica convert --schema`)."""
import sys

import polars as pl

source, target = sys.argv[1], sys.argv[2]
(
    pl.scan_csv(source, infer_schema=False)
    .with_columns(
        pl.col("연번").cast(pl.Int64, strict=False),
        pl.col("지원금액").str.replace_all(",", "").cast(pl.Float64, strict=False),
        pl.col("지급여부").replace_strict({"Y": True, "N": False}, default=None, return_dtype=pl.Boolean),
        pl.col("위도").cast(pl.Float64, strict=False),
        pl.col("데이터기준일자").str.to_date("%Y-%m-%d", strict=False),
    )
    .sink_ndjson(target)
)
