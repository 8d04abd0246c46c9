#!/usr/bin/env bash
# Builds the libFuzzer targets (release, -sanitize=fuzzer,address) and runs each for SECONDS.
#
#   bash Fuzz/run.sh [SECONDS] [TARGET...]     (default 60 seconds, every target)
#
# Seeds come from the test fixtures; each target's corpus grows in .build-fuzz/corpus/TARGET.
# A crash, leak, timeout (10 s) or out-of-memory (2 GiB) stops that target with its input in
# .build-fuzz/findings/TARGET/; the script then exits 1. Fixed findings become regression
# fixtures in Tests/PublicaTestSupport/Fixtures/fuzz-regressions/TARGET/, which the script
# replays first (and the test suite replays through the readers).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-60}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(FuzzCSV FuzzXML FuzzXLSX FuzzBulletin FuzzPipeline FuzzSchema)
SCRATCH=.build-fuzz
FIXTURES=Tests/PublicaTestSupport/Fixtures

for target in "${TARGETS[@]}"; do
    PUBLICA_FUZZ=1 swift build --scratch-path "$SCRATCH" -c release --product "$target" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 | grep -E "error|warning: unre|Compiling|Build" || true
done

# seed TARGET PREFIX FILE...: copies fixtures into the target's corpus, each behind PREFIX
# (the option bytes the target reads first), so the fuzzer starts from real files.
seed() {
    local target=$1 prefix=$2
    shift 2
    local dir="$SCRATCH/corpus/$target"
    mkdir -p "$dir"
    local file
    for file in "$@"; do
        [ -f "$file" ] || continue
        { printf "$prefix"; cat "$file"; } > "$dir/seed-$(basename "$file")-$(printf '%s' "$prefix" | od -An -tx1 | tr -d ' \\')"
    done
}
seed FuzzCSV '\001\001' "$FIXTURES"/csv-spectrum/csvs/*.csv "$FIXTURES"/frictionless/*.csv
seed FuzzCSV '\001\101' "$FIXTURES"/csv-spectrum/csvs/*.csv "$FIXTURES"/frictionless/*.csv
seed FuzzCSV '\003\101' "$FIXTURES"/korean-csv/*.csv
seed FuzzXML '\000' "$FIXTURES"/datagokr/*/*.xml
seed FuzzXML '\001' "$FIXTURES"/sdmx/*.xml
seed FuzzXML '\012' "$FIXTURES"/datagokr/kasi/*.xml
seed FuzzXLSX '\000' "$FIXTURES"/xlsx/*.xlsx
seed FuzzXLSX '\026' "$FIXTURES"/xlsx/*.xlsx
# A small workbook too: the shared ones are larger than -max_len, so mutations see only their start.
mkdir -p "$SCRATCH/corpus/FuzzXLSX"
python3 Fuzz/small_workbook.py "$SCRATCH/corpus/FuzzXLSX/seed-small.xlsx"
seed FuzzBulletin '\000' "$FIXTURES"/bulletins/*.txt
seed FuzzPipeline '' Pipelines/*.yaml
seed FuzzSchema '' "$FIXTURES"/frictionless/*.json
mkdir -p "$SCRATCH/corpus/FuzzSchema"
{ cat "$FIXTURES/frictionless/schema.json"; printf '\n%%%%\n'; cat "$FIXTURES/frictionless/table.csv"; } \
    > "$SCRATCH/corpus/FuzzSchema/seed-schema-and-table"

# Known leaks outside Publica's code (see the file); anything else is a finding.
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0"

status=0
summary=()
for target in "${TARGETS[@]}"; do
    binary="$SCRATCH/release/$target"
    findings="$SCRATCH/findings/$target"
    mkdir -p "$findings"
    # Earlier findings first: each must now pass.
    regressions="$FIXTURES/fuzz-regressions/$target"
    if compgen -G "$regressions/*" > /dev/null; then
        "$binary" -runs=0 "$regressions"/* > "$SCRATCH/$target.regressions.log" 2>&1 \
            || { echo "$target: a regression fixture fails again (see $SCRATCH/$target.regressions.log)"; status=1; continue; }
    fi
    log="$SCRATCH/$target.log"
    echo "== $target: ${SECONDS_PER_TARGET}s"
    if "$binary" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$findings/" "$SCRATCH/corpus/$target" > "$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        summary+=("$target: $runs executions in ${SECONDS_PER_TARGET}s, no finding")
    else
        summary+=("$target: FINDING (see $log and $findings)")
        grep -E "ERROR|==[0-9]+==|Fatal error|Test unit written" "$log" | head -5 || true
        status=1
    fi
done
echo
printf '%s\n' "${summary[@]}"
exit $status
