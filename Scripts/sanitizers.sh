#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer and ThreadSanitizer, each in its own build folder.
# LeakSanitizer is off: its only reports come from XCTest's and Foundation's own objects.
# gold warns once per object that the sanitizer runtime's sections are unordered (about 280
# identical lines, harmless); they are counted, not printed.
# TSAN_SKIP (a regular expression of test names, e.g. SpillTests) leaves tests out of the
# ThreadSanitizer run: CI leaves out the suites that push data volumes through one thread
# (the spill suites), whose memory safety the AddressSanitizer run still checks.
set -euo pipefail
cd "$(dirname "$0")/.."
quiet_gold() {
    local log
    log=$(mktemp)
    set +e
    "$@" 2>&1 | tee "$log" | grep -v "ld.gold: warning"
    local code=${PIPESTATUS[0]}
    set -e
    local warnings
    warnings=$(grep -c "ld.gold: warning" "$log" || true)
    rm -f "$log"
    [ "$warnings" = 0 ] || echo "sanitizers: $warnings ld.gold warnings not shown"
    return "$code"
}
ASAN_OPTIONS=detect_leaks=0 quiet_gold swift test --sanitize=address --scratch-path .build-asan
skip=()
[ -z "${TSAN_SKIP:-}" ] || skip=(--skip "$TSAN_SKIP")
quiet_gold swift test --sanitize=thread --scratch-path .build-tsan "${skip[@]}"
