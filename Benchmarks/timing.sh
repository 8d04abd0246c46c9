# Sourced by the benchmark scripts (run.sh, reshape.sh, xlsx.sh): their settings, from the
# caller's first argument and the environment, and the timing helpers. Ratios come from one run.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
runs=${RUNS:-3}
dir=${BENCH_DIR:-/tmp/publica-bench}
mkdir -p "$dir"

# time_best NAME [-i INPUT] COMMAND...: best wall time of $runs runs and the peak RSS seen
# (with INPUT, its MB/s too); kept in seconds[NAME] and rss[NAME] for ratio.
declare -A seconds rss
time_best() {
  local name=$1 input=""; shift
  if [ "$1" = -i ]; then input=$2; shift 2; fi
  local best="" peak=0
  for _ in $(seq "$runs"); do
    sync
    local start end kb t
    start=$(date +%s.%N)
    if ! /usr/bin/time -f %M -o "$dir/rss" "$@" >/dev/null 2>"$dir/err"; then
      echo "  $name: failed: $(tail -3 "$dir/err")"; return
    fi
    end=$(date +%s.%N)
    kb=$(tail -1 "$dir/rss")
    t=$(echo "$end - $start" | bc -l)
    if [ -z "$best" ] || (( $(echo "$t < $best" | bc -l) )); then best=$t; fi
    (( kb > peak )) && peak=$kb
  done
  seconds[$name]=$best; rss[$name]=$peak
  local speed=""
  [ -n "$input" ] && speed=$(printf '  %8.1f MB/s' "$(echo "$(stat -c %s "$input") / 1000000 / $best" | bc -l)")
  printf '  %-34s %7.3f s%s  peak RSS %7.1f MiB\n' "$name" "$best" "$speed" "$(echo "$peak / 1024" | bc -l)"
}

# ratio A B: how many times faster A is than B.
ratio() {
  if [ -n "${seconds[$1]:-}" ] && [ -n "${seconds[$2]:-}" ]; then
    printf '  %s vs %s: %.2fx\n' "$1" "$2" "$(echo "${seconds[$2]} / ${seconds[$1]}" | bc -l)"
  fi
}
