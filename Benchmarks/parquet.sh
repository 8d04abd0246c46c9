#!/usr/bin/env bash
# CSV -> Parquet on the registry (issue 18): Publica against pyarrow and Polars, in one run.
#
#   bash Benchmarks/parquet.sh [ROWS]     (default 1,000,000 registry rows; data in $BENCH_DIR)
#
# publica-typed: `convert --schema` (the registry's schema: the cast, INT64, DECIMAL, DATE and
# BOOLEAN columns); publica-plain: no schema (every column a string). The peers infer their
# types from the CSV (both use both cores). All write Zstandard. Goal: >= 1x pyarrow, peak RSS
# < 128 MiB. Each file is then counted by DuckDB, to show that it reads.
source "$(dirname "$0")/timing.sh"
python3 -c 'import pyarrow, polars, duckdb' 2>/dev/null || pip install -q pyarrow polars duckdb >/dev/null 2>&1 || true
[ -x /usr/bin/time ] || { apt-get install -y -qq time >/dev/null 2>&1 || true; }
swift build -c release --product publica >/dev/null
publica=$(swift build -c release --show-bin-path)/publica

csv="$dir/registry_${rows}.csv"
[ -f "$csv" ] && [ -f "$dir/registry.schema.json" ] || python3 Benchmarks/gen_registry.py --rows "$rows" --out "$dir" >/dev/null
echo "CSV -> Parquet ($(stat -c %s "$csv") bytes, $rows rows x 13 columns)"
time_best publica-typed -i "$csv" "$publica" convert "$csv" "$dir/publica-typed.parquet" --schema "$dir/registry.schema.json" -q
time_best publica-plain -i "$csv" "$publica" convert "$csv" "$dir/publica-plain.parquet" -q
time_best pyarrow -i "$csv" python3 Benchmarks/parquet_peers.py pyarrow "$csv" "$dir/pyarrow.parquet"
time_best polars -i "$csv" python3 Benchmarks/parquet_peers.py polars "$csv" "$dir/polars.parquet"
ratio publica-typed pyarrow
ratio publica-plain pyarrow
ratio publica-typed polars
for name in publica-typed publica-plain pyarrow polars; do
  [ -f "$dir/$name.parquet" ] && printf '  %-14s rows %s, %s bytes\n' "$name" \
    "$(python3 -c 'import duckdb,sys; print(duckdb.connect().execute("select count(*) from read_parquet(?)", [sys.argv[1]]).fetchone()[0])' "$dir/$name.parquet")" \
    "$(stat -c %s "$dir/$name.parquet")"
done
