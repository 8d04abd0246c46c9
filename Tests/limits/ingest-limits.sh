#!/usr/bin/env bash
# The readers on pathological inputs, with the real binary: every case must end in linear time,
# under 100 MiB of peak RSS, as data or as a located error (exit 65), never a hang or a blow-up.
#
#   bash Tests/limits/ingest-limits.sh PATH-TO-PUBLICA
#
#   (a) a quoted field of doubled quotes and an unquoted field, just under the 32 MiB default
#       record limit (read) and at 300 MB (refused); the quoted one at half size too, for linearity
#   (b) /dev/zero as a CSV source: no line break ever
#   (c) XML: 1000 records x 1000 distinct children, and a 400 MB text node
#   (d) NDJSON lines of {"a":1e9999}: the output stays the size of the input; 2x input <= 3x time
#   (e) SIGTERM inside a growing CSV field and XML text node: exit 143 within a second
#
# Sized for a debug build (CI runs it so); LIMITS_SCALE=10 makes the NDJSON case 10x larger for a
# release binary. The big inputs are streamed through pipes, so nothing large touches the disk.
set -euo pipefail
publica=$(realpath "${1:?usage: ingest-limits.sh PATH-TO-PUBLICA}")
scale=${LIMITS_SCALE:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
max_kb=$((100 * 1024))

# measure OUT CMD...: runs CMD, writes "seconds peak-KB" to OUT, returns CMD's exit status.
if [ -x /usr/bin/time ]; then
    measure() { local out=$1; shift; /usr/bin/time -f "%e %M" -o "$out" "$@"; }
else
    measure() {
        local out=$1; shift
        python3 - "$out" "$@" <<'PY'
import resource, subprocess, sys, time
start = time.monotonic()
code = subprocess.call(sys.argv[2:])
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(sys.argv[1], "w").write(f"{time.monotonic() - start:.2f} {peak}\n")
sys.exit(code)
PY
    }
fi

# check NAME EXPECTED-STATUS STATUS FIGURES-FILE [MESSAGE-FRAGMENT]: exit status, RSS, message.
check() {
    local name=$1 expected=$2 status=$3 figures=$4 fragment=${5:-}
    read -r seconds kb < <(tail -n 1 "$figures")  # time(1) puts "Command exited ..." above
    echo "   $name: exit $status, ${seconds} s, peak RSS $((kb / 1024)) MiB"
    [ "$status" -eq "$expected" ] || { fail "$name: exit $status, expected $expected: $(head -c 400 "$work/err")"; return; }
    [ "$kb" -lt "$max_kb" ] || { fail "$name: peak RSS $((kb / 1024)) MiB >= 100 MiB"; return; }
    if [ -n "$fragment" ] && ! grep -qF -- "$fragment" "$work/err"; then
        fail "$name: message lacks '$fragment': $(head -c 400 "$work/err")"
        return
    fi
    pass "$name"
}

# piped NAME EXPECTED FRAGMENT GENERATOR -- PUBLICA-ARGS...: GENERATOR's output as standard input.
piped() {
    local name=$1 expected=$2 fragment=$3 generator=$4
    shift 5
    set +e
    bash -c "$generator" 2>/dev/null | measure "$work/fig" "$publica" "$@" 2> "$work/err"
    local status=${PIPESTATUS[1]}
    set -e
    check "$name" "$expected" "$status" "$work/fig" "$fragment"
}

# direct NAME EXPECTED FRAGMENT PUBLICA-ARGS...
direct() {
    local name=$1 expected=$2 fragment=$3
    shift 3
    set +e
    measure "$work/fig" "$publica" "$@" 2> "$work/err"
    local status=$?
    set -e
    check "$name" "$expected" "$status" "$work/fig" "$fragment"
}

# gen.py MODE BYTES: quoted (a CSV field of `ab""cd`), unquoted (of `x`) or xmltext (an XML text node).
cat > "$work/gen.py" <<'PY'
import sys
mode, size = sys.argv[1], int(sys.argv[2])
out = sys.stdout.buffer
head, piece, tail = {
    "quoted": (b'a,b\n1,"', b'ab""cd', b'"\n'),
    "unquoted": (b"a,b\n1,", b"x", b"\n"),
    "xmltext": (b"<r><i><a>", b"x", b"</a></i></r>"),
}[mode]
chunk = piece * (1048576 // len(piece))
try:
    out.write(head)
    for _ in range(size // len(chunk)):
        out.write(chunk)
    out.write(tail)
except BrokenPipeError:
    pass
PY
quoted() { echo "python3 $work/gen.py quoted $1"; }
unquoted() { echo "python3 $work/gen.py unquoted $1"; }
xmltext() { echo "python3 $work/gen.py xmltext $1"; }

echo "== (a) CSV fields under and over the 32 MiB record limit"
bash -c "$(quoted 15000000)" > "$work/q15.csv"
bash -c "$(quoted 30000000)" > "$work/q30.csv"
direct "quoted 15 MB field, doubled quotes" 0 "1 record written" convert "$work/q15.csv" "$work/out.ndjson"
read -r t15 _ < <(tail -n 1 "$work/fig")
direct "quoted 30 MB field, doubled quotes" 0 "1 record written" convert "$work/q30.csv" "$work/out.ndjson"
read -r t30 _ < <(tail -n 1 "$work/fig")
rm -f "$work/q15.csv" "$work/q30.csv" "$work/out.ndjson"
if python3 -c "import sys; sys.exit(0 if $t30 <= 3 * $t15 + 0.2 else 1)"; then
    pass "linear: 30 MB quoted field ${t30} s <= 3 x ${t15} s (15 MB)"
else
    fail "not linear: 30 MB quoted field ${t30} s > 3 x ${t15} s (15 MB)"
fi
piped "quoted 300 MB field, doubled quotes" 65 "[field b]: error: row 1" "$(quoted 300000000)" -- \
    convert - "$work/out.ndjson" --from csv
bash -c "$(unquoted 30000000)" > "$work/u30.csv"
direct "unquoted 30 MB field" 0 "1 record written" convert "$work/u30.csv" "$work/out.ndjson"
rm -f "$work/u30.csv" "$work/out.ndjson"
piped "unquoted 300 MB field" 65 "32 MiB record limit" "$(unquoted 300000000)" -- convert - "$work/out.ndjson" --from csv

echo "== (b) /dev/zero as a source"
direct "/dev/zero as CSV" 65 "/dev/zero:1: error: the header row" convert /dev/zero "$work/out.ndjson" --from csv
direct "/dev/zero as NDJSON" 65 "/dev/zero:1" convert /dev/zero "$work/out.ndjson" --from ndjson

echo "== (c) XML"
python3 - "$work/wide.xml" <<'PY'
import sys
with open(sys.argv[1], "w") as out:
    out.write("<r>\n")
    for r in range(1000):
        out.write("<i>" + "".join(f"<c{r}_{c}>v</c{r}_{c}>" for c in range(1000)) + "</i>\n")
    out.write("</r>\n")
PY
echo "   wide.xml: $(($(stat -c %s "$work/wide.xml") / 1000000)) MB"
direct "1000 records x 1000 distinct children" 65 "record 2 brings a field past the limit of 1000 distinct fields" \
    convert "$work/wide.xml" "$work/out.ndjson" --record-path //i
rm -f "$work/wide.xml"
piped "400 MB XML text node" 65 "a text node is longer than the 32 MiB record limit" \
    "$(xmltext 400000000)" -- \
    convert - "$work/out.ndjson" --from xml --record-path //i

echo "== (d) NDJSON numbers kept as written"
lines=$((80000 * scale))
for n in 1 2; do
    python3 -c "import sys; sys.stdout.write('{\"a\":1e9999}\n' * ($n * $lines))" > "$work/e$n.ndjson"
    direct "$((n * lines)) lines of {\"a\":1e9999} to CSV" 0 "records written" convert "$work/e$n.ndjson" "$work/e$n.csv"
    read -r "te$n" _ < <(tail -n 1 "$work/fig")
    in_size=$(stat -c %s "$work/e$n.ndjson")
    out_size=$(stat -c %s "$work/e$n.csv")
    echo "   input $in_size bytes, CSV $out_size bytes"
    [ "$out_size" -le "$in_size" ] && pass "CSV no larger than its input" || fail "CSV $out_size bytes from $in_size"
    [ "$(sed -n 2p "$work/e$n.csv" | tr -d '\r')" = "1e9999" ] && pass "1e9999 written as 1e9999" || fail "1e9999 became $(sed -n 2p "$work/e$n.csv" | head -c 80)"
    rm -f "$work/e$n.ndjson" "$work/e$n.csv"
done
if python3 -c "import sys; sys.exit(0 if $te2 <= 3 * $te1 + 0.2 else 1)"; then
    pass "linear: 2x the lines ${te2} s <= 3 x ${te1} s"
else
    fail "not linear: 2x the lines ${te2} s > 3 x ${te1} s"
fi

echo "== (e) SIGTERM inside a huge field or text node"
# sigterm NAME GENERATOR|"" PUBLICA-ARGS...: signal after half a second (the field is tens of MB by
# then; later, a debug build's rescan of it after each doubling nears a second), expect exit 143 within a second.
sigterm() {
    local name=$1 generator=$2
    shift 2
    if [ -n "$generator" ]; then
        bash -c "$generator" 2>/dev/null | "$publica" "$@" 2> "$work/err" &
    else
        "$publica" "$@" 2> "$work/err" &
    fi
    local pid=$!
    sleep 0.5
    local target=$pid  # the pipeline's last command: publica
    local start
    start=$(date +%s%N)
    kill -TERM "$target" 2>/dev/null || true
    # A watchdog, so a run that ignores the signal fails the check instead of hanging the script.
    (sleep 5; kill -KILL "$target" 2>/dev/null) &
    local watchdog=$!
    set +e
    wait "$pid"
    local status=$?
    kill "$watchdog" 2>/dev/null
    wait "$watchdog" 2>/dev/null
    set -e
    local took_ms=$((($(date +%s%N) - start) / 1000000))
    local took
    took=$(printf '%d.%03d' $((took_ms / 1000)) $((took_ms % 1000)))
    echo "   $name: exit $status, stopped ${took} s after SIGTERM"
    if [ "$status" -eq 143 ] && [ "$took_ms" -lt 1000 ]; then
        pass "$name"
    else
        fail "$name: exit $status after ${took} s: $(head -c 300 "$work/err")"
    fi
}
sigterm "SIGTERM inside an endless CSV field" "" convert /dev/zero "$work/out.ndjson" --from csv --max-record-size 4GiB
sigterm "SIGTERM inside a huge XML text node" \
    "$(xmltext 3000000000)" \
    convert - "$work/out.ndjson" --from xml --record-path //i --max-record-size 4GiB

if [ "$failures" -gt 0 ]; then
    echo "ingest-limits: $failures check(s) failed"
    exit 1
fi
echo "ingest-limits: all checks passed"
