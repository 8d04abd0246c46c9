#!/usr/bin/env bash
# CSV -> SQLite on the registry (issue 18): Publica against sqlite-utils and DuckDB, in one run.
#
#   bash Benchmarks/sqlite.sh [ROWS]     (default 1,000,000 registry rows; data in $BENCH_DIR)
#
# publica-typed: `convert --schema` (the registry's schema: typed columns, the schema's free-text
# fields in the Korean-aware full-text index); publica-plain: no schema (untyped columns, no
# full-text index), the same work as `sqlite-utils insert --csv --detect-types`. DuckDB needs its
# sqlite extension installed beforehand (there is no network here to install it). Goal: >= 3x
# sqlite-utils, peak RSS < 128 MiB.
source "$(dirname "$0")/timing.sh"
python3 -c 'import sqlite_utils' 2>/dev/null || pip install -q sqlite-utils >/dev/null 2>&1 || true
[ -x /usr/bin/time ] || { apt-get install -y -qq time >/dev/null 2>&1 || true; }
swift build -c release --product publica >/dev/null
publica=$(swift build -c release --show-bin-path)/publica

csv="$dir/registry_${rows}.csv"
[ -f "$csv" ] && [ -f "$dir/registry.schema.json" ] || python3 Benchmarks/gen_registry.py --rows "$rows" --out "$dir" >/dev/null
echo "CSV -> SQLite ($(stat -c %s "$csv") bytes, $rows rows x 13 columns)"
time_best publica-typed -i "$csv" "$publica" convert "$csv" "$dir/publica-typed.sqlite" --schema "$dir/registry.schema.json" -q
time_best publica-plain -i "$csv" "$publica" convert "$csv" "$dir/publica-plain.sqlite" -q
time_best sqlite-utils -i "$csv" python3 Benchmarks/sqlite_peers.py sqlite-utils "$csv" "$dir/sqlite-utils.sqlite"
time_best duckdb -i "$csv" python3 Benchmarks/sqlite_peers.py duckdb "$csv" "$dir/duckdb.sqlite"
ratio publica-plain sqlite-utils
ratio publica-typed sqlite-utils
ratio publica-plain duckdb
for name in publica-typed publica-plain sqlite-utils duckdb; do
  [ -f "$dir/$name.sqlite" ] && printf '  %-14s rows %s, %s bytes\n' "$name" \
    "$(python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); t=c.execute("select name from sqlite_master where type=\"table\" order by rowid limit 1").fetchone()[0]; print(c.execute(f"select count(*) from \"{t}\"").fetchone()[0])' "$dir/$name.sqlite")" \
    "$(stat -c %s "$dir/$name.sqlite")"
done
