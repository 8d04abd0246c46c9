#!/usr/bin/env bash
# Fetching a paged data.go.kr API on loopback: PAGES pages of ROWS items (default 500 x 1000)
# from Benchmarks/datagokr_bench_server.py, by `publica run` (XML pages into CSV, JSON pages
# into NDJSON, also four pages in flight), dlt's REST API source (JSON into JSONL) and a requests + xml.etree loop (into CSV).
# Records per second and peak RSS; ratios from one run (RUNS=1 by default here).
#   bash Benchmarks/fetch.sh [PAGES] [ROWS]      (pip install dlt requests first)
RUNS=${RUNS:-1}
source "$(dirname "$0")/timing.sh" "${1:-500}"
pages=${1:-500}
items=${2:-1000}
publica=${PUBLICA:-.build/release/publica}
[ -x "$publica" ] || swift build -c release --product publica >/dev/null
ports="$dir/fetch-port"
python3 Benchmarks/datagokr_bench_server.py "$pages" "$items" > "$ports" &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 600); do [ -s "$ports" ] && break; sleep 0.1; done
base="http://127.0.0.1:$(head -1 "$ports")/B090041/openapi/service/SpcdeInfoService"
# Each writes what its peer writes: JSON pages into NDJSON (dlt: JSONL), XML pages into CSV
# (requests + xml.etree: CSV). Pages are fetched, then read (the count checked before anything
# is published); memory does not grow with the pages (500 or 1000 pages: the same peak).
for format in xml json; do
  extra=""; output=csv; [ "$format" = json ] && extra=", _type: json" && output=ndjson
  cat > "$dir/fetch-$format.yaml" <<YAML
version: 1
name: bench-$format
sources:
  api:
    url: $base/getRestDeInfo
    params: {serviceKey: "\${BENCH_KEY}", numOfRows: $items$extra}
    paging: datagokr
    format: $format
outputs:
  - {path: $dir/fetch-out-$format/holidays.$output}
YAML
done
# The same JSON pages, four in flight (concurrency: 4); dlt's paginator asks one at a time.
sed 's/    format: json/    format: json\n    concurrency: 4/; s/fetch-out-json/fetch-out-json4/' "$dir/fetch-json.yaml" > "$dir/fetch-json4.yaml"
records=$((pages * items))
echo "Fetch: $pages pages of $items items ($records records) on 127.0.0.1"
for format in xml json; do
  time_best "publica run ($format pages)" env BENCH_KEY=bench "$publica" run --full-refresh -q "$dir/fetch-$format.yaml"
done
time_best "publica run (json, 4 in flight)" env BENCH_KEY=bench "$publica" run --full-refresh -q "$dir/fetch-json4.yaml"
rm -rf "$dir/fetch-dlt"; mkdir -p "$dir/fetch-dlt"
time_best "dlt rest_api (json, jsonl)" python3 Benchmarks/fetch_peers.py dlt "$base" "$pages" "$items" "$dir/fetch-dlt"
mkdir -p "$dir/fetch-requests"
time_best "requests + xml.etree (csv)" python3 Benchmarks/fetch_peers.py requests "$base" "$pages" "$items" "$dir/fetch-requests"
for name in "publica run (xml pages)" "publica run (json pages)" "publica run (json, 4 in flight)" "dlt rest_api (json, jsonl)" "requests + xml.etree (csv)"; do
  [ -n "${seconds[$name]:-}" ] && printf '  %-34s %10.0f records/s\n' "$name" "$(echo "$records / ${seconds[$name]}" | bc -l)"
done
ratio "publica run (json pages)" "dlt rest_api (json, jsonl)"
ratio "publica run (json, 4 in flight)" "dlt rest_api (json, jsonl)"
ratio "publica run (xml pages)" "requests + xml.etree (csv)"
dlt_records=$(find "$dir/fetch-dlt/bench" -name '*.jsonl*' -exec zcat -f {} + | wc -l)
echo "  records written: publica $(($(wc -l < "$dir/fetch-out-xml/holidays.csv") - 1)) (xml), $(wc -l < "$dir/fetch-out-json/holidays.ndjson") (json); dlt $dlt_records; requests $(($(wc -l < "$dir/fetch-requests/holidays.csv") - 1))"
