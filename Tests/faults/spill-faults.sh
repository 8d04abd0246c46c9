#!/usr/bin/env bash
# Spilling with the real binary: a sort, a dedupe, an aggregate, a pivot, a join and a cast's
# unique and primary-key checks (and validate's) of an input ten times their memory budget spill
# to temporary files (seen in /proc/PID/fd while the sort runs), give the same bytes as in
# memory, and a SIGTERM mid-spill leaves no temporary file, no staging folder, and the previous
# outputs byte-identical (exit 143).
set -euo pipefail
publica=$(realpath "${1:?usage: spill-faults.sh PATH-TO-PUBLICA}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# About 40 MB of rows in a scrambled order, with repeated and missing keys.
python3 - "$work/data.csv" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write("id,group,name,copy\n")
    for i in range(1, 600001):
        group = "" if i % 97 == 0 else f"g{(i * 7919) % 1000:04d}"
        out.write(f'{(i * 104729) % 600011},{group},"시설 이름 {i}, 비고 {i % 13}",c{(i * 31) % 200000}\n')
PY
pipeline() {  # pipeline NAME OUT [STEP]
    cat > "$work/$1.yaml" <<YAML
version: 1
name: $1
sources:
  data: {path: data.csv}
steps:
  - ${3:-"sort: {by: [group, -id]}"}
outputs:
  - {path: $2/sorted.csv}
YAML
}
pipeline memory out-memory
pipeline spilled out-spilled

# A dedupe of 200,000 keys seen three times each, and an aggregate of as many groups.
for step in dedupe aggregate; do
    case $step in
        dedupe) body='dedupe: {key: [copy]}' ;;
        aggregate) body='aggregate: {by: [copy], fields: {n: {count: "*"}, ids: {sum: id}, names: {count_distinct: name}}}' ;;
    esac
    pipeline "$step-memory" "out-$step-memory" "$body"
    pipeline "$step-spilled" "out-$step-spilled" "$body"
    "$publica" run "$work/$step-memory.yaml" -q --memory 1GiB
    "$publica" run "$work/$step-spilled.yaml" -q --memory 4MiB
    rows=$(($(wc -l < "$work/out-$step-spilled/sorted.csv") - 1))
    if [ "$rows" = 200000 ] && cmp -s "$work/out-$step-memory/sorted.csv" "$work/out-$step-spilled/sorted.csv"; then
        pass "a $step spilling at 4 MiB writes the bytes it writes in memory ($rows rows)"
    else
        fail "the spilled $step differs from the in-memory one ($rows rows)"
    fi
done

# A pivot of 200,000 rows × 3 years in a scrambled order, with duplicates after the spill point.
python3 - "$work/pivot.csv" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write("region,year,value\n")
    for i in range(600000):
        j = (i * 7919) % 600000
        out.write(f"r{j // 3},{2022 + j % 3},{i}.5\n")
        if i % 1000 == 999:
            out.write(f"r{j // 3},{2022 + j % 3},dup\n")
PY
for size in 1GiB 4MiB; do
    pipeline "pivot-$size" "out-pivot-$size" 'pivot: {index: [region], key: year, value: value, columns: ["2022", "2023", "2024"]}'
    sed -i 's/data.csv/pivot.csv/' "$work/pivot-$size.yaml"
    set +e
    "$publica" run "$work/pivot-$size.yaml" -q --memory "$size"
    [ $? = 3 ] || fail "the pivot at $size did not exit 3 (published with rejects)"
    set -e
done
rows=$(($(wc -l < "$work/out-pivot-4MiB/sorted.csv") - 1))
rejects() { sort "$work/out-pivot-$1/pivot-$1.rejects.ndjson" | sed "s/pivot-$1//g"; }
if [ "$rows" = 200000 ] && cmp -s "$work/out-pivot-1GiB/sorted.csv" "$work/out-pivot-4MiB/sorted.csv" &&
    [ "$(rejects 1GiB)" = "$(rejects 4MiB)" ] && [ "$(rejects 4MiB | wc -l)" = 600 ]; then
    pass "a pivot spilling at 4 MiB writes the bytes and rejects the records it does in memory ($rows rows)"
else
    fail "the spilled pivot differs from the in-memory one ($rows rows)"
fi

# A cast whose primary key (600,000 ids) and unique field (200,000 codes, each three times) outgrow
# the budget: the same output bytes and the same rejects (those found at the end come last), and
# `validate` gives the same report as in memory.
cat > "$work/schema.json" <<'JSON'
{"fields": [{"name": "id", "type": "integer"}, {"name": "group"}, {"name": "name"},
            {"name": "copy", "constraints": {"unique": true}}], "primaryKey": ["id"]}
JSON
for run in memory spilled; do
    cat > "$work/cast-$run.yaml" <<YAML
version: 1
name: cast-$run
sources:
  data: {path: data.csv}
schema: schema.json
steps:
  - cast: {}
outputs:
  - {path: out-cast-$run/cast.csv}
YAML
done
# Published with rejects: exit 3.
"$publica" run "$work/cast-memory.yaml" -q --memory 1GiB || [ $? = 3 ]
"$publica" run "$work/cast-spilled.yaml" -q --memory 4MiB || [ $? = 3 ]
rows=$(($(wc -l < "$work/out-cast-spilled/cast.csv") - 1))
if [ "$rows" = 200000 ] && cmp -s "$work/out-cast-memory/cast.csv" "$work/out-cast-spilled/cast.csv" &&
    cmp -s <(sort "$work/out-cast-memory/cast-memory.rejects.ndjson") \
        <(sort "$work/out-cast-spilled/cast-spilled.rejects.ndjson"); then
    pass "a cast whose keys spill at 4 MiB writes the bytes and rejects it writes in memory ($rows rows)"
else
    fail "the spilled cast differs from the in-memory one ($rows rows)"
fi
for memory in 1GiB 1MiB; do
    "$publica" validate "$work/data.csv" --schema "$work/schema.json" --format json --limit-errors 50000 \
        --memory "$memory" | sed -E 's/"seconds": ?[0-9.]+//' > "$work/report-$memory.json" || true
done
if [ "$(grep -o '"unique-error"' "$work/report-1MiB.json" | wc -l)" = 50000 ] &&
    cmp -s "$work/report-1GiB.json" "$work/report-1MiB.json"; then
    pass "validate --memory 1MiB reports what it reports in memory (the first 50,000 errors, in row order)"
else
    fail "validate --memory 1MiB differs from the in-memory report"
fi
leftovers=$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name '.publica-spill*' 2>/dev/null | wc -l)
[ "$leftovers" = 0 ] && pass "no spill file left in ${TMPDIR:-/tmp}" || fail "$leftovers spill files left"

"$publica" run "$work/memory.yaml" -q --memory 1GiB
"$publica" run "$work/spilled.yaml" -q --memory 4MiB
if cmp -s "$work/out-memory/sorted.csv" "$work/out-spilled/sorted.csv"; then
    pass "a sort spilling at 4 MiB writes the bytes of an in-memory sort ($(stat -c %s "$work/data.csv") bytes in)"
else
    fail "the spilled sort differs from the in-memory one"
fi

# A join with a code list of 180,000 codes (the right side about ten times its share at 4 MiB):
# sorted into a spill file and merged at the end, it writes the in-memory bytes and rejects.
python3 - "$work/codes.csv" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write("code,label\n")
    for i in range(180000):
        code = (i * 7) % 180000
        out.write(f'c{code},"담당 {code}, 부서"\n')
PY
for run in memory spilled; do
    pipeline "join-$run" "out-join-$run" 'join: {with: {path: codes.csv}, on: {copy: code}, unmatched: reject}'
done
"$publica" run "$work/join-memory.yaml" -q --memory 1GiB || [ $? = 3 ]
"$publica" run "$work/join-spilled.yaml" -q --memory 4MiB || [ $? = 3 ]
rows=$(($(wc -l < "$work/out-join-spilled/sorted.csv") - 1))
if [ "$rows" -gt 500000 ] && cmp -s "$work/out-join-memory/sorted.csv" "$work/out-join-spilled/sorted.csv" &&
    cmp -s <(sort "$work/out-join-memory/join-memory.rejects.ndjson") \
        <(sort "$work/out-join-spilled/join-spilled.rejects.ndjson"); then
    pass "a join spilling at 4 MiB writes the bytes and rejects it writes in memory ($rows rows)"
else
    fail "the spilled join differs from the in-memory one ($rows rows)"
fi

# SIGTERM once spill files are open: nothing of the run is left, the previous outputs are intact.
before=$(sha256sum "$work/out-spilled/sorted.csv")
"$publica" run "$work/spilled.yaml" -q --memory 4MiB --full-refresh &
pid=$!
seen=""
for _ in $(seq 400); do
    if ls -l "/proc/$pid/fd" 2>/dev/null | grep -q "(deleted)"; then seen=yes; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.02
done
kill -TERM "$pid" 2>/dev/null || true
set +e
wait "$pid"
code=$?
set -e
[ -n "$seen" ] && pass "spill files were open (unnamed) in /proc/$pid/fd" || fail "no spill file seen while the sort ran"
[ "$code" = 143 ] && pass "SIGTERM mid-spill exits 143" || fail "SIGTERM mid-spill exited $code"
leftovers=$(find "$work" -name '*.publica-tmp' -o -name '*publica-staging*' | wc -l)
[ "$leftovers" = 0 ] && pass "no temporary file or staging folder left" || fail "$leftovers leftovers: $(find "$work" -name '*publica*')"
[ "$(sha256sum "$work/out-spilled/sorted.csv")" = "$before" ] && pass "the previous outputs are byte-identical" ||
    fail "the previous outputs changed"

[ "$failures" = 0 ] || { echo "spill-faults: $failures failures"; exit 1; }
echo "spill-faults: all passed"
