#!/usr/bin/env bash
# Runs every command the README shows, as written, in a fresh copy of the project: each line of
# a ```sh block that starts with `publica` or pipes into it, and `check` and `run` of each
# ```yaml block (a pipeline file) placed in Pipelines/. Each must exit 0 (or 3, "published
# with rejects", where the README says so with "# exit 3"). Usage: readme-examples.sh PATH-TO-PUBLICA
set -euo pipefail
publica=$(cd "$(dirname "${1:?usage: readme-examples.sh PATH-TO-PUBLICA}")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The project's files as a fresh clone has them (no out/, no .build/).
if git -C "$root" rev-parse --git-dir > /dev/null 2>&1; then
    (cd "$root" && git ls-files -z | xargs -0 cp --parents -t "$work")
else
    (cd "$root" && tar --exclude=./.build --exclude=./out -cf - .) | (cd "$work" && tar -xf -)
fi
mkdir -p "$work/bin"
ln -s "$publica" "$work/bin/publica"

python3 - "$root/README.md" > "$work/examples.txt" <<'PY'
import re, sys
inside = False
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("```"):
        inside = line.strip() == "```sh"
        continue
    command = line.strip()
    if inside and (command.startswith("publica ") or "| publica " in command):
        print(command)
PY

failures=0
count=0

# Every pipeline file the README shows (a ```yaml block) is checked and run as written, from
# Pipelines/, where its relative paths point; its outputs are removed before the commands run.
# A ```yml block is a fragment of one (a remote source, which would need the network): shown only.
python3 - "$root/README.md" "$work/Pipelines" <<'PY'
import sys
blocks, current = [], None
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("```"):
        if current is not None:
            blocks.append(current)
            current = None
        elif line.strip() == "```yaml":
            current = []
        continue
    if current is not None:
        current.append(line)
for number, block in enumerate(blocks, 1):
    open(f"{sys.argv[2]}/readme-example-{number}.yaml", "w", encoding="utf-8").write("".join(block))
PY
for file in "$work"/Pipelines/readme-example-*.yaml; do
    [ -e "$file" ] || continue
    for command in check run; do
        count=$((count + 1))
        if (cd "$work" && PATH="$work/bin:$PATH" publica "$command" "Pipelines/${file##*/}" > /dev/null 2> "$work/stderr"); then
            echo "ok: publica $command Pipelines/${file##*/} (a pipeline file the README shows)"
        else
            echo "FAIL: publica $command Pipelines/${file##*/} (a pipeline file the README shows)"
            sed 's/^/    /' "$work/stderr" | head -5
            failures=$((failures + 1))
        fi
    done
    rm -f "$file"
done
rm -rf "$work/out"

while IFS= read -r command; do
    count=$((count + 1))
    expected=0
    if [[ "$command" =~ \#\ exit\ ([0-9]+)$ ]]; then expected=${BASH_REMATCH[1]}; fi
    set +e
    (cd "$work" && PATH="$work/bin:$PATH" bash -c "set -o pipefail; $command" > "$work/stdout" 2> "$work/stderr")
    code=$?
    set -e
    if [ "$code" = "$expected" ]; then
        echo "ok: $command"
    else
        echo "FAIL (exit $code, expected $expected): $command"
        sed 's/^/    /' "$work/stderr" | head -5
        failures=$((failures + 1))
    fi
done < "$work/examples.txt"
[ "$count" -gt 10 ] || { echo "readme-examples: only $count examples found"; exit 1; }
if [ "$failures" -gt 0 ]; then
    echo "readme-examples: $failures of $count failed"
    exit 1
fi
echo "readme-examples: all $count examples passed"
