#!/usr/bin/env bash
# Publica's benchmarks: release build, generated data, peers timed in the same run.
#
#   bash Benchmarks/run.sh [ROWS]        (default 1,000,000 rows; data in $BENCH_DIR, default /tmp/publica-bench)
#
# Prints, per task: wall seconds (best of $RUNS, default 3), MB/s of input, peak RSS, and
# Publica's ratio to each peer. Peers are installed when missing (polars from PyPI, miller
# from Debian); a peer that cannot be installed is reported as skipped.
source "$(dirname "$0")/timing.sh"

python3 -c 'import polars, lxml, frictionless' 2>/dev/null || pip install -q polars lxml frictionless >/dev/null 2>&1 || true
if ! command -v mlr >/dev/null || ! command -v xmlstarlet >/dev/null; then
  { apt-get update -qq && apt-get install -y -qq miller xmlstarlet; } >/dev/null 2>&1 || true
fi
[ -x /usr/bin/time ] || { apt-get install -y -qq time >/dev/null 2>&1 || true; }

swift build -c release --product publica >/dev/null
publica=$(swift build -c release --show-bin-path)/publica

csv="$dir/registry_${rows}.csv"
cp949="$dir/registry_${rows}.cp949.csv"
items=$((rows / 2))
xml="$dir/openapi_${items}.xml"
[ -f "$csv" ] && [ -f "$cp949" ] && [ -f "$xml" ] && [ -f "$dir/registry.schema.json" ] ||
  python3 Benchmarks/gen_registry.py --rows "$rows" --out "$dir" --cp949 --xml-items "$items" >/dev/null


echo "CSV -> NDJSON ($(stat -c %s "$csv") bytes, $rows rows)"
time_best publica -i "$csv" "$publica" convert "$csv" "$dir/out.ndjson" -q
time_best publica-to-devnull -i "$csv" "$publica" convert "$csv" - --to ndjson -q
if python3 -c 'import polars' 2>/dev/null; then
  time_best polars -i "$csv" python3 -c "import polars as pl,sys; pl.scan_csv(sys.argv[1], infer_schema=False).sink_ndjson(sys.argv[2])" "$csv" "$dir/polars.ndjson"
else echo "  polars: skipped (not installable here)"; fi
if command -v mlr >/dev/null; then
  time_best miller -i "$csv" mlr --icsv --ojsonl cat "$csv"
else echo "  miller: skipped (not installable here)"; fi
ratio publica polars
ratio publica miller

echo "CSV -> CSV"
time_best publica-csv -i "$csv" "$publica" convert "$csv" "$dir/out.csv" --line-ending lf -q

echo "CP949 CSV -> NDJSON ($(stat -c %s "$cp949") bytes)"
time_best publica-cp949 -i "$cp949" "$publica" convert "$cp949" "$dir/out949.ndjson" -q
time_best iconv -i "$cp949" iconv -f CP949 -t UTF-8 "$cp949"
ratio publica-cp949 iconv
if cmp -s "$dir/out.ndjson" "$dir/out949.ndjson"; then echo "  CP949 and UTF-8 outputs are byte-identical"; else echo "  WARNING: CP949 and UTF-8 outputs differ"; fi

echo "XML (data.go.kr shape) -> NDJSON ($(stat -c %s "$xml") bytes, $items items)"
time_best publica-xml -i "$xml" "$publica" convert "$xml" "$dir/outxml.ndjson" --preset datagokr -q
time_best publica-xml-csv -i "$xml" "$publica" convert "$xml" "$dir/outxml.csv" --preset datagokr -q
if python3 -c 'import lxml' 2>/dev/null; then
  cat > "$dir/lxml_peer.py" <<'PY'
import csv, sys
from lxml import etree
fields = None
with open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
    writer = csv.writer(out, lineterminator="\n")
    for _, element in etree.iterparse(sys.argv[1], events=("end",), tag="item"):
        row = {child.tag: child.text or "" for child in element}
        if fields is None:
            fields = list(row)
            writer.writerow(fields)
        writer.writerow([row.get(name, "") for name in fields])
        element.clear(keep_tail=True)
        while element.getprevious() is not None:
            del element.getparent()[0]
PY
  time_best lxml -i "$xml" python3 "$dir/lxml_peer.py" "$xml" "$dir/lxml.csv"
else echo "  lxml: skipped (not installable here)"; fi
if command -v xmlstarlet >/dev/null; then
  time_best xmlstarlet -i "$xml" xmlstarlet sel -T -t -m //item -v seq -o , -v fcltyNm -n "$xml"
else echo "  xmlstarlet: skipped (not installable here)"; fi
ratio publica-xml lxml
ratio publica-xml xmlstarlet

echo "Table Schema validation (100,000-row subset; frictionless is slow)"
subset="$dir/registry_100000_subset.csv"
[ -f "$subset" ] || python3 - "$csv" "$subset" <<'PY'
import csv, sys
with open(sys.argv[1], encoding="utf-8", newline="") as source, open(sys.argv[2], "w", encoding="utf-8", newline="") as target:
    reader, writer = csv.reader(source), csv.writer(target, lineterminator="\n")
    for index, row in enumerate(reader):
        if index > 100000: break
        writer.writerow(row)
PY
time_best publica-validate -i "$subset" "$publica" validate "$subset" --schema "$dir/registry.schema.json"
if command -v frictionless >/dev/null; then
  # frictionless refuses absolute paths ("not safe"): run it inside the data folder.
  time_best frictionless -i "$subset" bash -c 'cd "$1" && frictionless validate --schema registry.schema.json --json "$2"' _ "$dir" "$(basename "$subset")"
else echo "  frictionless: skipped (not installable here)"; fi
ratio publica-validate frictionless
time_best publica-validate-1M -i "$csv" "$publica" validate "$csv" --schema "$dir/registry.schema.json"
# Validation against Publica's own plain CSV -> NDJSON (the target is at least 0.5x).
ratio publica-validate-1M publica

echo "One engine: run, convert --schema and infer against convert and Polars"
for steps in none cast cast-validate; do
  mkdir -p "$dir/pipelines"
  {
    echo "version: 1"
    echo "name: bench-$steps"
    echo "sources:"
    echo "  registry: {path: $csv}"
    [ "$steps" = none ] || echo "schema: $dir/registry.schema.json"
    case $steps in
      cast) printf 'steps:\n  - cast: {}\n' ;;
      cast-validate) printf 'steps:\n  - cast: {}\n  - validate: {}\n' ;;
    esac
    echo "outputs:"
    echo "  - {path: $dir/run-$steps/registry.ndjson}"
  } > "$dir/pipelines/$steps.yaml"
done
time_best publica-run -i "$csv" "$publica" run "$dir/pipelines/none.yaml" --full-refresh -q
time_best publica-run-cast -i "$csv" "$publica" run "$dir/pipelines/cast.yaml" --full-refresh -q
time_best publica-run-cast-validate -i "$csv" "$publica" run "$dir/pipelines/cast-validate.yaml" --full-refresh -q
time_best publica-convert-schema -i "$csv" "$publica" convert "$csv" "$dir/out-schema.ndjson" --schema "$dir/registry.schema.json" -q
if python3 -c 'import polars' 2>/dev/null; then
  time_best polars-cast -i "$csv" python3 Benchmarks/polars_cast.py "$csv" "$dir/polars-cast.ndjson"
fi
time_best publica-infer -i "$csv" "$publica" infer "$csv"
ratio publica-run publica
ratio publica-run-cast polars-cast
ratio publica-convert-schema polars-cast
ratio publica-run-cast-validate polars-cast
ratio publica-infer publica-validate-1M
