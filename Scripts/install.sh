#!/usr/bin/env bash
# Builds publica in release mode and installs it as PREFIX/bin/publica (default PREFIX: ~/.local).
# Usage: bash Scripts/install.sh [PREFIX]
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:-$HOME/.local}
swift build -c release --product publica
mkdir -p "$prefix/bin"
install -m 755 "$(swift build -c release --show-bin-path)/publica" "$prefix/bin/publica"
echo "installed $prefix/bin/publica"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "add it to your PATH: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
