#!/usr/bin/env bash
# The reshaping steps against DuckDB and Polars doing the same, in one run (issue "Releases"):
#
#   bash Benchmarks/reshape.sh [ROWS]     (default 1,000,000 registry rows; data in $BENCH_DIR)
#
# sort by two fields, aggregate by a field (count, count_distinct, exact sum), join with a
# 10,000-row code list, unpivot a wide table (ROWS/10 rows x 30 columns). Each writes CSV.
# Prints wall seconds (best of $RUNS, default 3), peak RSS, and Publica's ratio to each peer.
source "$(dirname "$0")/timing.sh"
memory=${MEMORY:-256MiB}
mkdir -p "$dir/reshape"
python3 -c 'import polars, duckdb' 2>/dev/null || pip install -q polars duckdb >/dev/null 2>&1 || true
[ -x /usr/bin/time ] || { apt-get install -y -qq time >/dev/null 2>&1 || true; }
# PUBLICA names a release binary already built (e.g. a CI clone's); else this one is built.
if [ -z "${PUBLICA:-}" ]; then swift build -c release --product publica >/dev/null; fi
publica=${PUBLICA:-$(swift build -c release --show-bin-path)/publica}

csv="$dir/registry_${rows}.csv"
[ -f "$csv" ] || python3 Benchmarks/gen_registry.py --rows "$rows" --out "$dir" >/dev/null
codes="$dir/reshape/representatives.csv"
wide="$dir/reshape/wide_$((rows / 10)).csv"
python3 - "$codes" "$wide" "$((rows / 10))" <<'PY'
import csv, os, sys
codes, wide, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
if not os.path.exists(codes):
    surnames, given = "김이박최정강조윤장임", "민서지현준우예도하윤수영"
    names = [s + a + b for s in surnames for a in given for b in given]
    names += [f"가상{i:05d}" for i in range(10000 - len(names))]
    with open(codes, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["대표자명", "담당부서"])
        writer.writerows([name, f"부서{index % 97:02d}"] for index, name in enumerate(names))
if not os.path.exists(wide):
    with open(wide, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id"] + [f"y{year}" for year in range(1995, 2025)])
        for row in range(rows):
            writer.writerow([row] + [(row * 31 + column * 7) % 100000 for column in range(30)])
PY


# pipeline NAME INPUT STEPS: a one-table pipeline writing $dir/reshape/NAME/NAME.csv
pipeline() {
  cat > "$dir/reshape/$1.yaml" <<YAML
version: 1
name: $1
sources:
  input: {path: $2}
steps:
$3
outputs:
  - {path: $dir/reshape/$1/$1.csv}
YAML
}
pipeline sort "$csv" '  - sort: {by: [행정구역코드, 시설명]}'
pipeline aggregate "$csv" '  - aggregate: {by: [시설구분], fields: {n: {count: "*"}, names: {count_distinct: 시설명}, latitude: {sum: 위도}}}'
pipeline join "$csv" "  - join: {with: {path: $codes}, on: 대표자명}"
pipeline unpivot "$wide" '  - unpivot: {keep: [id], key: year, value: amount}'


polars_read='import polars as pl, sys; df = pl.read_csv(sys.argv[1], infer_schema=False)'
duck='import duckdb, sys; c = duckdb.connect(); c.execute("SET threads=2")'

for task in sort aggregate join unpivot; do
  input=$csv; [ $task = unpivot ] && input=$wide
  echo "$task ($(stat -c %s "$input") bytes)"
  time_best "publica-$task" "$publica" run "$dir/reshape/$task.yaml" --full-refresh -q --memory "$memory"
  case $task in
    sort)
      time_best polars-sort python3 -c "$polars_read; df.sort(['행정구역코드', '시설명'], maintain_order=True).write_csv(sys.argv[2])" "$csv" "$dir/reshape/p.csv"
      time_best duckdb-sort python3 -c "$duck; c.execute(f\"COPY (SELECT * FROM read_csv('{sys.argv[1]}', all_varchar=true) ORDER BY 행정구역코드, 시설명) TO '{sys.argv[2]}'\")" "$csv" "$dir/reshape/d.csv" ;;
    aggregate)
      time_best polars-aggregate python3 -c "$polars_read; df.group_by('시설구분', maintain_order=True).agg(pl.len().alias('n'), pl.col('시설명').n_unique().alias('names'), pl.col('위도').cast(pl.Decimal(18, 6)).sum().alias('latitude')).write_csv(sys.argv[2])" "$csv" "$dir/reshape/p.csv"
      time_best duckdb-aggregate python3 -c "$duck; c.execute(f\"COPY (SELECT 시설구분, count(*) n, count(DISTINCT 시설명) names, sum(CAST(위도 AS DECIMAL(18,6))) latitude FROM read_csv('{sys.argv[1]}', all_varchar=true) GROUP BY 시설구분) TO '{sys.argv[2]}'\")" "$csv" "$dir/reshape/d.csv" ;;
    join)
      time_best polars-join python3 -c "$polars_read; codes = pl.read_csv(sys.argv[2], infer_schema=False); df.join(codes, on='대표자명', how='left', maintain_order='left').write_csv(sys.argv[3])" "$csv" "$codes" "$dir/reshape/p.csv"
      time_best duckdb-join python3 -c "$duck; c.execute(f\"COPY (SELECT r.*, c.담당부서 FROM read_csv('{sys.argv[1]}', all_varchar=true) r LEFT JOIN read_csv('{sys.argv[2]}', all_varchar=true) c USING (대표자명)) TO '{sys.argv[3]}'\")" "$csv" "$codes" "$dir/reshape/d.csv" ;;
    unpivot)
      time_best polars-unpivot python3 -c "$polars_read; df.unpivot(index='id', variable_name='year', value_name='amount').write_csv(sys.argv[2])" "$wide" "$dir/reshape/p.csv"
      time_best duckdb-unpivot python3 -c "$duck; c.execute(f\"COPY (UNPIVOT (SELECT * FROM read_csv('{sys.argv[1]}', all_varchar=true)) ON COLUMNS(* EXCLUDE id) INTO NAME year VALUE amount) TO '{sys.argv[2]}'\")" "$wide" "$dir/reshape/d.csv" ;;
  esac
  ratio "publica-$task" "polars-$task"
  ratio "publica-$task" "duckdb-$task"
done
