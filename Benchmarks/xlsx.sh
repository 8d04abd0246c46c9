#!/usr/bin/env bash
# XLSX -> NDJSON against openpyxl (read_only=True) and python-calamine, in one run (issue 17):
#
#   bash Benchmarks/xlsx.sh [ROWS]     (default 1,000,000 registry rows; data in $BENCH_DIR)
#
# The workbook is the registry of gen_registry.py (13 columns: text, codes with leading zeros
# as text cells, integers, amounts, decimals, dates) written by XlsxWriter with shared strings
# (Benchmarks/gen_xlsx.py; CONSTANT_MEMORY=1 writes inline strings instead, without holding the
# sheet). Each tool writes one JSON object a row. Prints wall seconds (best of $RUNS, default 3),
# peak RSS, and Publica's ratio to each peer. Goal: >= 3x calamine, >= 20x openpyxl, Publica's
# peak RSS < 128 MiB beyond the shared strings (their size is in Publica's note).
source "$(dirname "$0")/timing.sh"
python3 -c 'import openpyxl, python_calamine, xlsxwriter' 2>/dev/null ||
  pip install -q openpyxl python-calamine xlsxwriter >/dev/null 2>&1 || true
[ -x /usr/bin/time ] || { apt-get install -y -qq time >/dev/null 2>&1 || true; }
swift build -c release --product publica >/dev/null
publica=$(swift build -c release --show-bin-path)/publica

csv="$dir/registry_${rows}.csv"
book="$dir/registry_${rows}.xlsx"
[ -f "$csv" ] || python3 Benchmarks/gen_registry.py --rows "$rows" --out "$dir" >/dev/null
if [ ! -f "$book" ]; then
  echo "writing $book (XlsxWriter; takes minutes for a million rows)"
  python3 Benchmarks/gen_xlsx.py "$csv" "$book.part" ${CONSTANT_MEMORY:+--constant-memory} >/dev/null
  mv "$book.part" "$book"
fi


echo "XLSX -> NDJSON ($(stat -c %s "$book") bytes, $rows rows x 13 columns)"
"$publica" convert "$book" "$dir/xlsx-publica.ndjson" 2>&1 >/dev/null | grep -m1 'shared strings' | sed 's/^/  /' || true
time_best publica "$publica" convert "$book" "$dir/xlsx-publica.ndjson" -q
time_best calamine python3 Benchmarks/xlsx_peers.py calamine "$book" "$dir/xlsx-calamine.ndjson"
time_best openpyxl python3 Benchmarks/xlsx_peers.py openpyxl "$book" "$dir/xlsx-openpyxl.ndjson"
ratio publica calamine
ratio publica openpyxl
for peer in calamine openpyxl; do
  if [ -f "$dir/xlsx-$peer.ndjson" ]; then
    printf '  lines: publica %s, %s %s\n' "$(wc -l < "$dir/xlsx-publica.ndjson")" "$peer" \
      "$(wc -l < "$dir/xlsx-$peer.ndjson")"
  fi
done
