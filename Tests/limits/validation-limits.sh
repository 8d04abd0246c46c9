#!/usr/bin/env bash
# Validation's limits, measured on generated data: no input makes `validate` hang or balloon.
#
#   bash Tests/limits/validation-limits.sh PUBLICA_BINARY
#
# Checks (and prints each figure): 3,000,000 validation errors stream in text and in JSON with
# peak RSS < 100 MiB; a 100,000-value enum over 1,000,000 rows < 100 MiB; the catastrophic
# patterns (a+)+$, (a|aa)+b, (x+x+)+y on 10,000-character values < 1 s each; SIGTERM stops a
# long validation, and a long pattern match in validate and convert --schema, with exit 143 within
# 1 s; a write to a full standard output is exit 1.
# The data is generated into a temporary folder, removed at the end.
set -euo pipefail
publica=${1:?usage: validation-limits.sh PUBLICA_BINARY}
[ -x "$publica" ] || { echo "validation-limits: $publica is not an executable" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0

# measure.py run RC CMD...: runs CMD (stdout to /dev/null, killed after 60 s), expects exit RC; prints "SECONDS KIB".
# measure.py term CMD...: starts CMD, sends SIGTERM after 0.3 s; prints "RC SECONDS" (signal to exit).
cat > "$dir/measure.py" <<'PY'
import resource, signal, subprocess, sys, time
mode, args = sys.argv[1], sys.argv[2:]
if mode == "run":
    expected, command = int(args[0]), args[1:]
    start = time.monotonic()
    try:
        # A hang (the old backtracking matcher) fails the check instead of stalling CI.
        code = subprocess.run(command, stdout=subprocess.DEVNULL, timeout=60).returncode
    except subprocess.TimeoutExpired:
        sys.exit(f"still running after 60 s, killed: {' '.join(command)}")
    seconds = time.monotonic() - start
    if code != expected:
        sys.exit(f"exit {code}, expected {expected}: {' '.join(command)}")
    print(f"{seconds:.3f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
else:
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    if process.poll() is not None:
        sys.exit(f"finished (exit {process.returncode}) before the signal: make the input larger")
    start = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        code = "none (killed after 10 s)"
    print(f"{code} {time.monotonic() - start:.3f}")
PY

fail() { echo "  FAIL: $*"; failures=$((failures + 1)); }

# check_rss NAME RC LIMIT_MIB CMD...: time and peak RSS of CMD, which must stay under LIMIT_MIB.
check_rss() {
  local name=$1 rc=$2 limit=$3; shift 3
  local seconds kib
  read -r seconds kib < <(python3 "$dir/measure.py" run "$rc" "$@") || { fail "$name: did not run as expected"; return; }
  printf '  %-44s %7.3f s  peak RSS %6.1f MiB (limit %d MiB)\n' "$name" "$seconds" "$(echo "$kib / 1024" | bc -l)" "$limit"
  (( kib < limit * 1024 )) || fail "$name: peak RSS $kib KiB >= $limit MiB"
}

# check_time NAME RC LIMIT_SECONDS CMD...: wall time of CMD, which must stay under the limit.
check_time() {
  local name=$1 rc=$2 limit=$3; shift 3
  local seconds kib
  read -r seconds kib < <(python3 "$dir/measure.py" run "$rc" "$@") || { fail "$name: did not run as expected"; return; }
  printf '  %-44s %7.3f s (limit %s s)\n' "$name" "$seconds" "$limit"
  (( $(echo "$seconds < $limit" | bc -l) )) || fail "$name: $seconds s >= $limit s"
}

echo "validation-limits: generating data in $dir"
python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
# 3,000,000 type errors: an integer column holding "x".
with open(f"{d}/errors.csv", "w") as f:
    f.write("n\n")
    f.write("x\n" * 3_000_000)
json.dump({"fields": [{"name": "n", "type": "integer"}]}, open(f"{d}/errors.schema.json", "w"))
# A 100,000-value enum over 1,000,000 rows (all valid).
values = [f"CODE{i:06d}" for i in range(100_000)]
json.dump({"fields": [{"name": "code", "type": "string", "constraints": {"enum": values}}]}, open(f"{d}/enum.schema.json", "w"))
with open(f"{d}/enum.csv", "w") as f:
    f.write("code\n")
    f.writelines(values[(i * 7919) % 100_000] + "\n" for i in range(1_000_000))
# Catastrophic patterns for a backtracking matcher, each on one 10,000-character value it does not match.
for name, pattern, value in [("nested", "(a+)+$", "a" * 10_000 + "!"), ("alternation", "(a|aa)+b", "a" * 10_000),
                             ("overlap", "(x+x+)+y", "x" * 10_000)]:
    json.dump({"fields": [{"name": "v", "type": "string", "constraints": {"pattern": pattern}}]},
              open(f"{d}/{name}.schema.json", "w"))
    open(f"{d}/{name}.csv", "w").write("v\n" + value + "\n")
# A pattern whose program keeps thousands of threads alive, on a 3,000,000-character value: linear,
# but minutes of work (value x program), so only a signal checked inside the match stops it soon.
json.dump({"fields": [{"name": "v", "type": "string", "constraints": {"pattern": "(a?b?.*){1000}c"}}]},
          open(f"{d}/slow.schema.json", "w"))
open(f"{d}/slow.csv", "w").write("v\n" + "a" * 3_000_000 + "\n")
# A small table with two errors, for the write checks.
open(f"{d}/small.csv", "w").write("n\n1\nx\ny\n")
PY

echo "Streamed errors (3,000,000 type errors)"
check_rss "validate, text report" 65 100 "$publica" validate "$dir/errors.csv" --schema "$dir/errors.schema.json"
check_rss "validate, json report" 65 100 "$publica" validate "$dir/errors.csv" --schema "$dir/errors.schema.json" --format json
# The streamed JSON is one valid document with every error in it.
timeout 60 "$publica" validate "$dir/errors.csv" --schema "$dir/errors.schema.json" --format json --limit-errors 100000 > "$dir/report.json" || true
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["valid"] is False and r["stats"]["errors"] == 100000 and len(r["tasks"][0]["errors"]) == 100000, r["stats"]
' "$dir/report.json" && echo "  json report with --limit-errors 100000: parses, 100000 errors" || fail "streamed JSON report"

echo "enum (100,000 values, 1,000,000 rows)"
check_rss "validate, enum" 0 100 "$publica" validate "$dir/enum.csv" --schema "$dir/enum.schema.json"

echo "Patterns on 10,000-character values"
check_time "(a+)+\$" 65 1 "$publica" validate "$dir/nested.csv" --schema "$dir/nested.schema.json"
check_time "(a|aa)+b" 65 1 "$publica" validate "$dir/alternation.csv" --schema "$dir/alternation.schema.json"
check_time "(x+x+)+y" 65 1 "$publica" validate "$dir/overlap.csv" --schema "$dir/overlap.schema.json"

echo "SIGTERM"
read -r code seconds < <(python3 "$dir/measure.py" term "$publica" validate "$dir/errors.csv" --schema "$dir/errors.schema.json" --format json) ||
  { fail "SIGTERM: the validation ended before the signal"; code=none; seconds=0; }
printf '  %-44s exit %s after %s s (expected 143 within 1 s)\n' "validate, SIGTERM during the rows" "$code" "$seconds"
[ "$code" = 143 ] && (( $(echo "$seconds < 1" | bc -l) )) || fail "SIGTERM: exit $code after $seconds s"
for command in validate convert; do
  if [ "$command" = validate ]; then
    args=(validate "$dir/slow.csv" --schema "$dir/slow.schema.json")
  else
    args=(convert "$dir/slow.csv" "$dir/slow.ndjson" --schema "$dir/slow.schema.json")
  fi
  read -r code seconds < <(python3 "$dir/measure.py" term "$publica" "${args[@]}") ||
    { fail "SIGTERM inside a pattern match ($command): it ended before the signal"; code=none; seconds=0; }
  printf '  %-44s exit %s after %s s (expected 143 within 1 s)\n' "$command, SIGTERM inside a pattern match" "$code" "$seconds"
  [ "$code" = 143 ] && (( $(echo "$seconds < 1" | bc -l) )) || fail "SIGTERM inside a pattern match ($command): exit $code after $seconds s"
done
[ ! -e "$dir/slow.ndjson" ] || fail "SIGTERM inside a pattern match: convert left an output"
# infer reads an endless standard input, so the signal always arrives while it reads rows (a file
# of 3,000,000 rows could be finished by then in a release build).
read -r code seconds < <({ echo n; yes x; } | python3 "$dir/measure.py" term "$publica" infer - 2>/dev/null) ||
  { fail "SIGTERM to infer: it ended before the signal"; code=none; seconds=0; }
printf '  %-44s exit %s after %s s (expected 143 within 1 s)\n' "infer, SIGTERM during the rows" "$code" "$seconds"
[ "$code" = 143 ] && (( $(echo "$seconds < 1" | bc -l) )) || fail "SIGTERM to infer: exit $code after $seconds s"

echo "Write failures"
for format in text json; do
  set +e
  timeout 60 "$publica" validate "$dir/small.csv" --schema "$dir/errors.schema.json" --format "$format" > /dev/full 2> "$dir/err"
  code=$?
  set -e
  printf '  %-44s exit %s: %s\n' "validate --format $format > /dev/full" "$code" "$(head -1 "$dir/err")"
  [ "$code" = 1 ] && grep -q "standard output" "$dir/err" || fail "validate --format $format > /dev/full: exit $code"
done
set +e
timeout 60 "$publica" infer "$dir/small.csv" > /dev/full 2> "$dir/err"
code=$?
set -e
printf '  %-44s exit %s: %s\n' "infer > /dev/full" "$code" "$(head -1 "$dir/err")"
[ "$code" = 1 ] && grep -q "standard output" "$dir/err" || fail "infer > /dev/full: exit $code"

if (( failures > 0 )); then
  echo "validation-limits: $failures check(s) failed"
  exit 1
fi
echo "validation-limits: all checks passed"
