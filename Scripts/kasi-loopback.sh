#!/usr/bin/env bash
# Runs Pipelines/kasi-holidays.yaml against the data.go.kr-style test server on 127.0.0.1 (no
# other network): starts the server, publishes into ${PUBLICA_OUT:-out}/kasi-holidays, stops it.
#   bash Scripts/kasi-loopback.sh [FAULT]     # FAULT: ok (default), flaky, quota3, gateway403, short, ...
# (the faults are listed at the top of the server script). Exits with publica's exit code.
set -euo pipefail
cd "$(dirname "$0")/.."
fault=${1:-ok}
publica=${PUBLICA:-$(command -v publica || echo .build/debug/publica)}
server=Tests/PublicaTestSupport/Fixtures/servers/datagokr_server.py
ports=$(mktemp)
python3 "$server" > "$ports" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$ports"' EXIT
for _ in $(seq 100); do [ -s "$ports" ] && break; sleep 0.05; done
read -r port < "$ports"
set +e
DATA_GO_KR_BASE="http://127.0.0.1:$port/$fault" DATA_GO_KR_KEY='test+key/with=chars' \
  PUBLICA_OUT="${PUBLICA_OUT:-$PWD/out}" "$publica" run Pipelines/kasi-holidays.yaml
code=$?
echo "kasi-loopback: publica exited $code"
exit $code
