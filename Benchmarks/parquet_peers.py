#!/usr/bin/env python3
"""The Parquet peers of Benchmarks/parquet.sh: a CSV into a Parquet file, Zstandard-compressed.

    parquet_peers.py pyarrow CSV OUT     pyarrow.csv.read_csv (newlines_in_values), then pyarrow.parquet.write_table
    parquet_peers.py polars CSV OUT      polars.read_csv, then DataFrame.write_parquet
"""
import sys

tool, source, target = sys.argv[1:4]
if tool == "pyarrow":
    import pyarrow.csv
    import pyarrow.parquet
    # The registry has line breaks inside quoted values, which pyarrow's parser must be told of.
    options = pyarrow.csv.ParseOptions(newlines_in_values=True)
    pyarrow.parquet.write_table(pyarrow.csv.read_csv(source, parse_options=options), target, compression="zstd")
elif tool == "polars":
    import polars
    polars.read_csv(source, infer_schema_length=10000).write_parquet(target, compression="zstd")
else:
    sys.exit(f"unknown tool {tool}")
