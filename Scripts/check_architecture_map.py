#!/usr/bin/env python3
"""Fails when ARCHITECTURE.md names a file or folder the checkout does not have.

Every backquoted path in it (a `Sources/...`, `Tests/...`, `Benchmarks/...`, `Scripts/...` or `*.swift` name, or
`Package.swift`) must exist, so the map from "datagram in" to "datagrams and events out" stays true when files
move.

    Scripts/check_architecture_map.py [ARCHITECTURE.md]
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATH = re.compile(r"`((?:Sources|Tests|Benchmarks|Scripts)/[^`\s]+|[A-Za-z/]*Package\.swift)`")


def missing_paths(document: Path, root: Path) -> list[tuple[int, str]]:
    """(line, path) of every backquoted path in `document` that does not exist under `root`."""
    missing = []
    for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), start=1):
        for match in PATH.finditer(line):
            if not (root / match.group(1)).exists():
                missing.append((number, match.group(1)))
    return missing


def main() -> int:
    document = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "ARCHITECTURE.md"
    missing = missing_paths(document, ROOT)
    for number, path in missing:
        print(f"{document.name}:{number}: {path} does not exist: name the file that now does that step",
              file=sys.stderr)
    if missing:
        return 1
    named = sum(len(PATH.findall(line)) for line in document.read_text(encoding="utf-8").splitlines())
    print(f"{document.name}: all {named} paths exist")
    return 0


if __name__ == "__main__":
    sys.exit(main())
