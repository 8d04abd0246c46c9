#!/usr/bin/env bash
# kill -9 at random moments, with the real binary: 30 times during a 200 MB `convert` and 30
# times during a `run`. After every kill the output and its rejects belong to one run (the
# journal a kill may leave between the two moves is finished by the next run), and after the
# next run nothing temporary is left: no temporary file, journal or staging folder.
# Usage: kill-loop.sh PATH-TO-PUBLICA [MEGABYTES]
set -euo pipefail
publica=${1:?usage: kill-loop.sh PATH-TO-PUBLICA [MEGABYTES]}
megabytes=${2:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Two inputs: A has ragged rows (so rejects), B is clean (so a run of B removes A's rejects).
python3 - "$work" "$megabytes" <<'PY'
import sys
folder, megabytes = sys.argv[1], int(sys.argv[2])
# c.csv, smaller, for `run`: 30 kills of a run need not take minutes.
for name, ragged, limit in (("a.csv", True, megabytes), ("b.csv", False, megabytes), ("c.csv", True, 20)):
    with open(f"{folder}/{name}", "w", encoding="utf-8") as out:
        out.write("id,name,amount,note\n")
        size, i = 0, 0
        while size < limit * 1_000_000:
            i += 1
            line = f"{i},ragged\n" if ragged and i % (50_000 if limit > 10 else 1_000) == 0 else f'{i},"시설 {i}",{i * 7},"비고 {i % 97}"\n'
            out.write(line)
            size += len(line.encode())
PY

leftovers() { find "$work" -name '*.publica-tmp' -o -name '*.publica-journal' -o -name '*.publica-staging-*' | grep -c . || true; }
pair() { echo "$(sha256sum < "$work/out.ndjson" 2>/dev/null | cut -c1-16)/$( [ -e "$work/out.rejects.ndjson" ] && sha256sum < "$work/out.rejects.ndjson" | cut -c1-16 || echo none)"; }

# The pairs a whole run leaves, one per input.
start=$(date +%s.%N)
"$publica" convert "$work/a.csv" "$work/out.ndjson" -q || [ $? = 3 ] || fail "convert a"
seconds=$(python3 -c "print(round($(date +%s.%N) - $start, 2))")
pair_a=$(pair)
"$publica" convert "$work/b.csv" "$work/out.ndjson" -q || fail "convert b"
pair_b=$(pair)
[ "${pair_b#*/}" = none ] || fail "a clean run left the rejects of the last one"
echo "kill-loop: one convert of ${megabytes} MB takes ${seconds} s; pairs a=$pair_a b=$pair_b"

left_by_kills=0
journals=0
for i in $(seq 1 30); do
  input=$([ $((i % 2)) = 0 ] && echo a || echo b)
  "$publica" convert "$work/$input.csv" "$work/out.ndjson" -q & pid=$!
  sleep "$(python3 -c "import random; print(random.uniform(0, $seconds * 1.1))")"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  left_by_kills=$((left_by_kills + $(leftovers)))
  if [ -e "$work/.out.ndjson.publica-journal" ]; then
    journals=$((journals + 1))
  else
    now=$(pair)
    [ "$now" = "$pair_a" ] || [ "$now" = "$pair_b" ] || fail "kill $i: output and rejects from different runs ($now)"
  fi
done
"$publica" convert "$work/a.csv" "$work/out.ndjson" -q || [ $? = 3 ] || fail "convert after the kills"
[ "$(pair)" = "$pair_a" ] || fail "the run after the kills: $(pair), not $pair_a"
[ "$(leftovers)" = 0 ] || fail "left after the next convert: $(find "$work" -name '.*publica*')"
echo "kill-loop: convert: 30 kills left $left_by_kills temporary files and $journals journals; none after the next run"

# The same for `run`: a pipeline with a rejects file, killed 30 times.
cat > "$work/pipeline.yaml" <<'YAML'
version: 1
name: kills
sources:
  data: {path: c.csv, on_ragged: reject}
outputs:
  - {path: out/kills.ndjson}
  - {path: out/datapackage.json}
YAML
start=$(date +%s.%N)
"$publica" run "$work/pipeline.yaml" -q || [ $? = 3 ] || fail "first run"
seconds=$(python3 -c "print(round($(date +%s.%N) - $start, 2))")
echo "kill-loop: one run of 20 MB takes ${seconds} s"
left_by_kills=0
for i in $(seq 1 30); do
  "$publica" run "$work/pipeline.yaml" --full-refresh -q & pid=$!
  sleep "$(python3 -c "import random; print(random.uniform(0, $seconds * 1.1))")"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  left_by_kills=$((left_by_kills + $(leftovers)))
  # Output, rejects, report and package are one run's: the package's hashes match its files.
  python3 - "$work/out" <<'PY' || fail "run kill $i: a mixed output set"
import hashlib, json, os, sys
folder = sys.argv[1]
package = json.load(open(os.path.join(folder, "datapackage.json"), encoding="utf-8"))
report = json.load(open(os.path.join(folder, "run-report.json"), encoding="utf-8"))
for resource in package["resources"]:
    digest = hashlib.sha256(open(os.path.join(folder, resource["path"]), "rb").read()).hexdigest()
    assert resource["hash"] == "sha256:" + digest, resource["path"]
rejects = sum(1 for _ in open(os.path.join(folder, "kills.rejects.ndjson"), encoding="utf-8"))
assert rejects == report["records"]["rejected"], (rejects, report["records"])
PY
done
"$publica" run "$work/pipeline.yaml" --full-refresh -q || [ $? = 3 ] || fail "run after the kills"
[ "$(leftovers)" = 0 ] || fail "left after the next run: $(find "$work" -name '.*publica*')"
echo "kill-loop: run: 30 kills left $left_by_kills temporary files or staging folders; none after the next run"

if [ "$failures" -gt 0 ]; then
  echo "kill-loop: $failures check(s) failed"
  exit 1
fi
echo "kill-loop: all checks passed"
