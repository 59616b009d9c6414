#!/usr/bin/env python3
"""Fails when ARCHITECTURE.md no longer tells the truth about the checkout.

- Every backquoted path in it (a `Sources/...`, `Tests/...`, `Benchmarks/...` or `Scripts/...` name, or
  `Package.swift`) must exist, so the map from "datagram in" to "datagrams and events out" stays true when files
  move.
- Its "## Modules" table must have a row for every library and executable target of Package.swift (system
  libraries and test support aside), listing exactly the project modules the target depends on, and naming each
  package product it uses (by product or package name). The manifest is read with `swift package dump-package`.

    Scripts/check_architecture_map.py [ARCHITECTURE.md]
"""

import re
import sys
from pathlib import Path

from check_benchmarks_manifest import dump_package

ROOT = Path(__file__).resolve().parent.parent
PATH = re.compile(r"`((?:Sources|Tests|Benchmarks|Scripts)/[^`\s]+|[A-Za-z/]*Package\.swift)`")
MODULES_HEADING = "## Modules"
NAME = re.compile(r"`([A-Za-z][\w-]*)`")
PARENTHESES = re.compile(r"\([^)]*\)")


def missing_paths(document: Path, root: Path) -> list[tuple[int, str]]:
    """(line, path) of every backquoted path in `document` that does not exist under `root`."""
    missing = []
    for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), start=1):
        for match in PATH.finditer(line):
            if not (root / match.group(1)).exists():
                missing.append((number, match.group(1)))
    return missing


def module_rows(text: str) -> list[tuple[int, list[str], set[str], str]]:
    """(line, modules, project modules used, libraries cell) of each row of the Modules table.

    Backquoted names inside parentheses (`CIgzip` (trait `ISAL`)) are remarks, not modules.
    """
    rows, in_section = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("## "):
            in_section = line.strip() == MODULES_HEADING
        elif in_section and line.startswith("| `"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if len(cells) >= 3:
                ours = set(NAME.findall(PARENTHESES.sub("", cells[1])))
                rows.append((number, NAME.findall(cells[0]), ours, cells[2]))
    return rows


def graph_problems(text: str, manifest: dict) -> list[str]:
    """Every way the Modules table differs from the manifest's targets, each naming the line or target."""
    targets = {
        target["name"]: target
        for target in manifest["targets"]
        if target["type"] in ("regular", "executable") and not (target.get("path") or "").startswith("Tests/")
    }
    problems, described = [], set()
    for number, modules, ours, libraries in module_rows(text):
        for module in modules:
            described.add(module)
            if module not in targets:
                problems.append(f"line {number}: `{module}` is no library or executable target of Package.swift")
                continue
            problems += row_problems(number, module, ours, libraries, targets[module])
    for name in sorted(targets.keys() - described):
        problems.append(f"Package.swift's target {name} has no row in the {MODULES_HEADING} table: add one")
    return problems


def row_problems(number: int, module: str, ours: set[str], libraries: str, target: dict) -> list[str]:
    used, products = set(), []
    for dependency in target["dependencies"]:
        kind, values = next(iter(dependency.items()))
        if kind in ("byName", "target"):
            used.add(values[0])
        elif kind == "product":
            products.append((values[0], values[1]))
    problems = []
    if missing := sorted(used - ours):
        problems.append(f"line {number}: {module} also uses {missing} (Package.swift): add them to its row")
    if extra := sorted(ours - used):
        problems.append(f"line {number}: {module} does not use {extra} (Package.swift): remove them from its row")
    for product, package in products:
        if product not in libraries and package not in libraries:
            problems.append(f"line {number}: {module} uses {product} of {package}: name it in its row")
    return problems


def main() -> int:
    document = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "ARCHITECTURE.md"
    text = document.read_text(encoding="utf-8")
    problems = [f"line {number}: {path} does not exist: name the file that now does that step"
                for number, path in missing_paths(document, ROOT)]
    problems += graph_problems(text, dump_package(ROOT))
    for problem in problems:
        print(f"{document.name}: {problem}", file=sys.stderr)
    if problems:
        return 1
    paths = sum(len(PATH.findall(line)) for line in text.splitlines())
    print(f"{document.name}: all {paths} paths exist; the {MODULES_HEADING} table matches Package.swift")
    return 0


if __name__ == "__main__":
    sys.exit(main())
