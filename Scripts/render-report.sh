#!/usr/bin/env bash
# Renders the run reports of the bulletin and KOSIS pipelines to PNGs with headless Chromium
# (Debian: apt-get install chromium fonts-noto-cjk), to look at the page as a reader sees it.
#
#   bash Scripts/render-report.sh [OUT]      (default /tmp/publica-report; PNGs 1280 px wide)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/publica-report}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome) ||
  { echo "render-report: Chromium is not installed" >&2; exit 1; }
swift build --product publica >/dev/null
publica=$(swift build --show-bin-path)/publica
mkdir -p "$out"
for pipeline in rnd-kiosk-bulletin kosis-census-2017 kosis-airline; do
  PUBLICA_OUT="$out" "$publica" run "Pipelines/$pipeline.yaml" -q || [ $? -eq 3 ]
done
for folder in rnd-kiosk kosis-census-2017 kosis-airline; do
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,3000 \
    --screenshot="$out/$folder.png" "file://$(cd "$out/$folder" && pwd)/run-report.html" 2>/dev/null
  echo "render-report: $out/$folder.png"
done
