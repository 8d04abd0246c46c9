#!/usr/bin/env python3
"""Doc-comment coverage of the public declarations in Sources/ (standard library only).

A line that declares something `public` (`public import` excepted) counts as documented when
the nearest line above it that is not an attribute (`@…`) or a compiler directive (`#…`)
starts with `///`. Prints the figure per module (the folder under Sources/) and overall.

    python3 Scripts/doc-coverage.py              # the table
    python3 Scripts/doc-coverage.py --min 80     # exit 1 when the overall figure is below 80 %
    python3 Scripts/doc-coverage.py --list       # also every undocumented declaration, file:line
"""

import argparse
import pathlib
import re
import sys

# `public` as a word before a declaration, possibly after other modifiers or attributes on the
# same line (`@inlinable public func`, `nonisolated public var`, `public private(set) var`).
PUBLIC = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:\w+(?:\([^)]*\))?\s+)*public\b")
PUBLIC_IMPORT = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*public\s+import\b")


def is_public_declaration(line: str) -> bool:
    stripped = line.lstrip()
    if stripped.startswith("//") or stripped.startswith("*"):
        return False
    return bool(PUBLIC.match(line)) and not PUBLIC_IMPORT.match(line)


def documented(lines: list[str], index: int) -> bool:
    """Whether the nearest preceding non-attribute, non-directive line is a `///` comment."""
    i = index - 1
    while i >= 0:
        text = lines[i].strip()
        if text.startswith("@") or text.startswith("#"):
            i -= 1
            continue
        return text.startswith("///")
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min", type=float, default=None,
                        help="exit 1 when the overall coverage (percent) is below this")
    parser.add_argument("--list", action="store_true", help="list the undocumented declarations")
    parser.add_argument("--root", default=None, help="the Sources folder (default: ../Sources from this script)")
    args = parser.parse_args()

    root = pathlib.Path(args.root) if args.root else pathlib.Path(__file__).resolve().parent.parent / "Sources"
    if not root.is_dir():
        print(f"doc-coverage: no folder {root}", file=sys.stderr)
        return 2

    per_module: dict[str, list[int]] = {}
    missing: list[str] = []
    for path in sorted(root.rglob("*.swift")):
        module = path.relative_to(root).parts[0]
        lines = path.read_text(encoding="utf-8").splitlines()
        counts = per_module.setdefault(module, [0, 0])
        for index, line in enumerate(lines):
            if not is_public_declaration(line):
                continue
            counts[1] += 1
            if documented(lines, index):
                counts[0] += 1
            else:
                missing.append(f"{path.relative_to(root.parent)}:{index + 1}: {line.strip()}")

    total_doc = sum(c[0] for c in per_module.values())
    total = sum(c[1] for c in per_module.values())
    width = max([len(m) for m in per_module] + [len("overall")])
    for module, (doc, count) in sorted(per_module.items()):
        if count == 0:
            continue
        print(f"{module:<{width}}  {doc:4d} / {count:4d}  {100.0 * doc / count:5.1f} %")
    overall = 100.0 * total_doc / total if total else 100.0
    print(f"{'overall':<{width}}  {total_doc:4d} / {total:4d}  {overall:5.1f} %")
    if args.list:
        print()
        print("\n".join(missing))
    if args.min is not None and overall < args.min:
        print(f"doc-coverage: {overall:.1f} % is below {args.min:g} %", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
