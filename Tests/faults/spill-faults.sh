#!/usr/bin/env bash
# Spilling with the real binary: a sort, a dedupe, an aggregate and a join of an input ten times their
# memory budget spill to temporary files (seen in /proc/PID/fd while the sort runs), give the
# same bytes as in memory, and a SIGTERM mid-spill leaves no temporary file, no staging folder, and the previous
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
