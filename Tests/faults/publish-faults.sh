#!/usr/bin/env bash
# Fault injection around publishing, with the real binary. Each fault must leave the previous
# outputs byte-identical, exit with its documented code, say what happened, and leave nothing
# behind that the next run cannot clean up:
#   (a) SIGTERM and SIGINT mid-run  -> 143 / 130 within a second, temporary files and staging removed
#   (b) a full disk (a 2 MiB tmpfs)  -> 1, "No space left on device" naming the file
#   (c) the output folder's parent made read-only mid-run (as an unprivileged user, since root
#       ignores permissions)         -> 1, "Permission denied"; the next run recovers
#   (d) SIGTERM while `convert` writes -> 143, no output and no temporary file
#   (e) SIGTERM while `convert` waits on a stalled input stream -> 143 within a second
#   (f) an output folder that is a mount point (a tmpfs, a bind mount) -> 64 from check and run, at the outputs' place
#   (g) standard output that cannot be written (/dev/full) -> 1 from check, run --dry-run, convert, --help, --version
# Needs root for (b) and (c) (mount, setpriv); skips those with a message otherwise.
set -euo pipefail
publica=$(realpath "${1:?usage: publish-faults.sh PATH-TO-PUBLICA}")
work=$(mktemp -d)
chmod 755 "$work"
mounted=""
cleanup() {
    chmod -R u+w "$work" 2>/dev/null || true
    [ -n "$mounted" ] && umount "$mounted" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# rows FILE N: a CSV of N rows, large enough that a run takes a moment.
rows() {
    python3 - "$1" "$2" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write("id,name,amount\n")
    for i in range(1, int(sys.argv[2]) + 1):
        out.write(f'{i},"시설 {i}","{i * 1000:,}"\n')
PY
}
# pipeline DIR INPUT: a pipeline in DIR reading INPUT and publishing DIR/out.
pipeline() {
    cat > "$1/pipeline.yaml" <<YAML
version: 1
name: faults
sources:
  data: {path: $2, format: csv}
schema:
  fields:
    - {name: id, type: integer}
    - {name: name, type: string}
    - {name: amount, type: integer, groupChar: ","}
steps:
  - cast: {}
outputs:
  - {path: out/faults.csv}
  - {path: out/faults.ndjson}
  - {path: out/datapackage.json}
YAML
}
checksums() { (cd "$1/out" && sha256sum faults.csv faults.ndjson datapackage.json run-report.json) }
# leftovers DIR: staging folders or temporary files that a failed run left in DIR.
leftovers() { find "$1" -name '*publica-staging*' -o -name '*publica-tmp*' | head -5; }

# (a) SIGTERM and SIGINT in the middle of a run.
dir="$work/signals"
mkdir -p "$dir"
rows "$dir/data.csv" 2000
pipeline "$dir" data.csv
"$publica" run "$dir/pipeline.yaml" -q || fail "(a) first run"
before=$(checksums "$dir")
rows "$dir/data.csv" 600000
for signal in TERM INT; do
    expected=$([ $signal = TERM ] && echo 143 || echo 130)
    "$publica" run "$dir/pipeline.yaml" 2> "$dir/stderr" & pid=$!
    # Wait until the run is writing (its staging folder exists), then signal it.
    for _ in $(seq 1 200); do compgen -G "$dir/.out.publica-staging-*" > /dev/null && break; sleep 0.02; done
    sleep 0.3
    started=$(date +%s%N)
    kill -$signal $pid
    set +e; wait $pid; code=$?; set -e
    waited_ms=$(( ($(date +%s%N) - started) / 1000000 ))
    [ "$code" = "$expected" ] || fail "(a) SIG$signal: exit $code, not $expected: $(cat "$dir/stderr")"
    [ "$waited_ms" -lt 1000 ] || fail "(a) SIG$signal: the run stopped ${waited_ms} ms after the signal, not within a second"
    grep -q "stopped by SIG$signal" "$dir/stderr" || fail "(a) SIG$signal: no clear message: $(cat "$dir/stderr")"
    [ "$(checksums "$dir")" = "$before" ] || fail "(a) SIG$signal: previous outputs changed"
    [ -z "$(leftovers "$dir")" ] || fail "(a) SIG$signal: left behind: $(leftovers "$dir")"
    [ "$code" = "$expected" ] && pass "(a) SIG$signal mid-run: exit $code after ${waited_ms} ms, previous outputs intact, nothing left behind"
done
"$publica" run "$dir/pipeline.yaml" -q || fail "(a) the run after the signals"
[ "$(checksums "$dir")" != "$before" ] || fail "(a) the run after the signals published nothing"

# (d) SIGTERM while convert writes its output. The input is a FIFO held open for a second after
# the data, so the signal lands mid-conversion however fast the machine converts the rows.
mkfifo "$dir/feed.csv"
{ cat "$dir/data.csv"; sleep 1; } > "$dir/feed.csv" &
"$publica" convert "$dir/feed.csv" "$dir/converted.ndjson" --from csv 2> "$dir/stderr" & pid=$!
sleep 0.3
kill -TERM $pid
set +e; wait $pid; code=$?; set -e
if [ "$code" = 143 ] && [ ! -e "$dir/converted.ndjson" ] && [ -z "$(leftovers "$dir")" ]; then
    pass "(d) SIGTERM during convert: exit 143, no output, no temporary file"
else
    fail "(d) SIGTERM during convert: exit $code, output $(ls "$dir" | tr '\n' ' '), $(cat "$dir/stderr")"
fi

# (e) SIGTERM while convert waits on a stalled stream: a FIFO whose writer sends a few rows and
# then nothing for a minute. The run must stop within about a second, not when the writer wakes.
rm -f "$dir/feed.csv"
mkfifo "$dir/feed.csv"
{ head -5 "$dir/data.csv"; sleep 60; } > "$dir/feed.csv" & feeder=$!
"$publica" convert "$dir/feed.csv" "$dir/converted.ndjson" 2> "$dir/stderr" & pid=$!
sleep 0.5
started=$(date +%s%N)
kill -TERM $pid
set +e; wait $pid; code=$?; set -e
waited_ms=$(( ($(date +%s%N) - started) / 1000000 ))
pkill -P $feeder sleep 2>/dev/null || true
kill $feeder 2>/dev/null || true
if [ "$code" = 143 ] && [ "$waited_ms" -lt 3000 ] && [ ! -e "$dir/converted.ndjson" ] && [ -z "$(leftovers "$dir")" ]; then
    pass "(e) SIGTERM while the input stalls: exit 143 after ${waited_ms} ms, no output, no temporary file"
else
    fail "(e) SIGTERM while the input stalls: exit $code after ${waited_ms} ms, $(cat "$dir/stderr")"
fi

# (b) A full disk: the outputs live on a 2 MiB tmpfs; a run that needs more must fail cleanly.
dir="$work/full"
mkdir -p "$dir/disk"
if mount -t tmpfs -o size=2m publica-faults "$dir/disk" 2>/dev/null; then
    mounted="$dir/disk"
    rows "$dir/small.csv" 1000
    rows "$dir/large.csv" 100000
    cp "$dir/small.csv" "$dir/data.csv"
    pipeline "$dir/disk" "$dir/data.csv"
    "$publica" run "$dir/disk/pipeline.yaml" -q || fail "(b) first run on the small disk"
    before=$(checksums "$dir/disk")
    used_before=$(df --output=used "$dir/disk" | tail -1)
    cp "$dir/large.csv" "$dir/data.csv"
    set +e; "$publica" run "$dir/disk/pipeline.yaml" 2> "$dir/stderr"; code=$?; set -e
    [ "$code" = 1 ] || fail "(b) full disk: exit $code, not 1"
    grep -q "No space left on device" "$dir/stderr" || fail "(b) full disk: no clear message: $(cat "$dir/stderr")"
    grep -q "publica-staging" "$dir/stderr" || fail "(b) full disk: the message names no file: $(cat "$dir/stderr")"
    [ "$(checksums "$dir/disk")" = "$before" ] || fail "(b) full disk: previous outputs changed"
    [ -z "$(leftovers "$dir/disk")" ] || fail "(b) full disk: left behind: $(leftovers "$dir/disk")"
    used_after=$(df --output=used "$dir/disk" | tail -1)
    [ "$used_after" -le "$used_before" ] || fail "(b) full disk: space not given back ($used_before -> $used_after KiB)"
    [ "$code" = 1 ] && pass "(b) full disk: exit 1, '$(head -1 "$dir/stderr" | cut -c1-120)…', previous outputs intact"
    umount "$dir/disk"
    mounted=""
else
    echo "skipped: (b) full disk needs permission to mount a tmpfs"
fi

# (c) The output folder's parent made read-only while the run waits on its input (a FIFO).
dir="$work/readonly"
mkdir -p "$dir"
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
    as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
    rows "$dir/data.csv" 1000
    pipeline "$dir" "$dir/input"
    cp "$dir/data.csv" "$dir/input"
    chown -R nobody:nogroup "$dir"
    as_nobody "$publica" run "$dir/pipeline.yaml" -q || fail "(c) first run"
    before=$(checksums "$dir")
    rm "$dir/input"
    mkfifo "$dir/input"
    chown nobody:nogroup "$dir/input"
    as_nobody "$publica" run "$dir/pipeline.yaml" 2> "$dir/stderr" & pid=$!
    for _ in $(seq 1 200); do compgen -G "$dir/.out.publica-staging-*" > /dev/null && break; sleep 0.02; done
    chmod 555 "$dir"
    cat "$dir/data.csv" > "$dir/input"
    set +e; wait $pid; code=$?; set -e
    chmod 755 "$dir"
    [ "$code" = 1 ] || fail "(c) read-only: exit $code, not 1: $(cat "$dir/stderr")"
    grep -q "Permission denied" "$dir/stderr" || fail "(c) read-only: no clear message: $(cat "$dir/stderr")"
    [ "$(checksums "$dir")" = "$before" ] || fail "(c) read-only: previous outputs changed"
    [ "$code" = 1 ] && pass "(c) parent read-only mid-run: exit 1, '$(head -1 "$dir/stderr" | cut -c1-120)…', previous outputs intact"
    # The next run, with the folder writable again, cleans up what the failed one could not.
    rm "$dir/input"
    cp "$dir/data.csv" "$dir/input"
    chown nobody:nogroup "$dir/input"
    as_nobody "$publica" run "$dir/pipeline.yaml" -q || fail "(c) the run after the read-only folder"
    [ -z "$(leftovers "$dir")" ] || fail "(c) staging not recovered: $(leftovers "$dir")"
else
    echo "skipped: (c) read-only folder needs root (to run as an unprivileged user)"
fi

# refused_while_mounted LABEL: with $dir/out mounted, check and run exit 64 with the mount-point
# error at the outputs' line; then $dir/out is unmounted.
refused_while_mounted() {
    mounted="$dir/out"
    set +e; message=$("$publica" check "$dir/pipeline.yaml" 2>&1); checked=$?
    "$publica" run "$dir/pipeline.yaml" -q 2>/dev/null; code=$?; set -e
    umount "$dir/out"
    mounted=""
    if [ "$checked" = 64 ] && [ "$code" = 64 ] && echo "$message" | grep -q "pipeline.yaml:13:3: error: .*is a mount point"; then
        pass "(f) $1: check and run exit 64: '$(echo "$message" | cut -c1-110)…'"
    else
        fail "(f) $1: check $checked, run $code: $message"
    fi
}
# (f) An output folder that is a mount point cannot be swapped at once: a clear error, not a failed publish.
dir="$work/f"
mkdir -p "$dir/out"
rows "$dir/data.csv" 10
pipeline "$dir" data.csv
if mount -t tmpfs -o size=1m publica-mount "$dir/out" 2>/dev/null; then
    refused_while_mounted "mount point"
else
    echo "skipped: (f) mount point needs permission to mount a tmpfs"
fi
# A bind mount of a folder of the same file system: the same device as its parent, a mount all the
# same, which statx tells from Linux 5.8 on.
mkdir -p "$dir/elsewhere"
if ! printf '5.8\n%s\n' "$(uname -r)" | sort -V -C; then
    echo "skipped: (f) bind mount: Linux $(uname -r) cannot tell a mount root (5.8 or later can)"
elif mount --bind "$dir/elsewhere" "$dir/out" 2>/dev/null; then
    refused_while_mounted "bind mount"
    [ -z "$(ls -A "$dir/elsewhere")" ] || fail "(f) bind mount: the run wrote into the mounted folder: $(ls -A "$dir/elsewhere")"
else
    echo "skipped: (f) bind mount needs permission to mount"
fi

# (g) Standard output that cannot be written: every command says so and exits 1.
dir="$work/g"
mkdir -p "$dir"
rows "$dir/data.csv" 10
pipeline "$dir" data.csv
for command in "check $dir/pipeline.yaml" "run $dir/pipeline.yaml --dry-run" "convert $dir/data.csv - --to ndjson" \
    "--help" "--version" "convert --help"; do
    set +e; $publica $command > /dev/full 2> "$dir/stderr"; code=$?; set -e
    if [ "$code" = 1 ] && grep -q "No space left on device" "$dir/stderr"; then
        pass "(g) $(echo "$command" | cut -d' ' -f1) > /dev/full: exit 1, '$(head -1 "$dir/stderr" | cut -c1-80)'"
    else
        fail "(g) $command > /dev/full: exit $code: $(cat "$dir/stderr")"
    fi
done

if [ "$failures" -gt 0 ]; then
    echo "publish-faults: $failures failures"
    exit 1
fi
echo "publish-faults: all checks passed"
