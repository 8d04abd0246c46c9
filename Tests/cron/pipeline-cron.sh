#!/usr/bin/env bash
# Cron safety of `publica run`, with the real binary: (a) two runs at once, one exits 75;
# (b) SIGKILL at 20 random moments leaves the previous outputs whole; (c) a second run has
# nothing to do and outputs are byte-identical; (d) a failed quality gate exits 4 and leaves
# the outputs untouched.
set -euo pipefail
publica=${1:?usage: pipeline-cron.sh PATH-TO-PUBLICA}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

python3 - "$work/data.csv" 300000 <<'PY'
import sys
rows = int(sys.argv[2])
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write("id,name,amount\n")
    for i in range(1, rows + 1):
        out.write(f'{i},"시설 {i}","{i * 1000:,}"\n')
PY
cat > "$work/pipeline.yaml" <<'YAML'
version: 1
name: cron
sources:
  data: {path: data.csv}
schema:
  fields:
    - {name: id, type: integer}
    - {name: name, type: string}
    - {name: amount, type: integer, groupChar: ","}
steps:
  - cast: {}
outputs:
  - {path: out/cron.csv}
  - {path: out/cron.ndjson}
  - {path: out/datapackage.json}
quality: {max_reject_ratio: 0.01, min_rows: 1}
YAML
checksums() { (cd "$work/out" && sha256sum cron.csv cron.ndjson datapackage.json 2>/dev/null) || true; }

"$publica" run "$work/pipeline.yaml" -q || fail "first run"
old=$(checksums)

# (c) nothing to do, and identical outputs on a full refresh.
message=$("$publica" run "$work/pipeline.yaml" 2>&1) || fail "second run"
echo "$message" | grep -q "nothing to do" || fail "no 'nothing to do': $message"
"$publica" run "$work/pipeline.yaml" --full-refresh -q || fail "full refresh"
[ "$(cd "$work/out" && sha256sum cron.csv cron.ndjson)" = "$(echo "$old" | head -2)" ] || fail "outputs differ between runs"

# (a) two runs at once: one gets the lock, the other exits 75.
"$publica" run "$work/pipeline.yaml" --full-refresh -q & first=$!
sleep 0.2
set +e; "$publica" run "$work/pipeline.yaml" --full-refresh -q; second=$?; set -e
wait $first || true
[ "$second" = 75 ] || fail "second concurrent run exited $second, not 75"

# (b) kill -9 at random moments: the outputs are always the old set or the new set, whole.
echo "$((300001)),\"추가\",\"1,000\"" >> "$work/data.csv"
for i in $(seq 1 20); do
  "$publica" run "$work/pipeline.yaml" --full-refresh -q & pid=$!
  sleep "0.$(( RANDOM % 9 ))$(( RANDOM % 10 ))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  now=$(checksums)
  lines=$(echo "$now" | grep -c . || true)
  [ "$lines" = 3 ] || fail "kill $i: outputs incomplete: $now"
  (cd "$work/out" && sha256sum -c <(echo "$now") >/dev/null) || fail "kill $i: checksum"
  if [ "$now" != "$old" ]; then
    # The new set must be whole: its datapackage.json hashes match its files.
    python3 - "$work/out" <<'PY' || fail "kill $i: a mixed output set"
import hashlib, json, sys, os
folder = sys.argv[1]
package = json.load(open(os.path.join(folder, "datapackage.json"), encoding="utf-8"))
for resource in package["resources"]:
    digest = hashlib.sha256(open(os.path.join(folder, resource["path"]), "rb").read()).hexdigest()
    assert resource["hash"] == "sha256:" + digest, resource["path"]
PY
    old=$now
  fi
done
ls -a "$work" | grep -q "publica-staging" && "$publica" run "$work/pipeline.yaml" -q --full-refresh || true
"$publica" run "$work/pipeline.yaml" -q --full-refresh || fail "run after kills"
ls -a "$work" | grep -q "publica-staging" && fail "staging folders left after a clean run"

# (d) a quality gate failure: exit 4, outputs untouched.
before=$(checksums)
printf 'id,name,amount\n1,a,x\n2,b,y\n' > "$work/data.csv"
set +e; "$publica" run "$work/pipeline.yaml" -q; status=$?; set -e
[ "$status" = 4 ] || fail "gate failure exited $status, not 4"
[ "$(checksums)" = "$before" ] || fail "outputs changed after a failed gate"

if [ "$failures" -gt 0 ]; then echo "pipeline-cron: $failures failed"; exit 1; fi
echo "pipeline-cron: all checks passed"
