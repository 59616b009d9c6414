#!/usr/bin/env python3
"""Fails when Benchmarks/Package.swift has drifted from Package.swift.

The benchmarks package compiles the project's modules itself, from symlinked folders (Benchmarks/Sources/<Module>
-> ../../Sources/<Module>), so its manifest repeats those targets by hand. This compares what
`swift package dump-package` says of both manifests (no build, about a second each):

- every symlink in Benchmarks/Sources points at Sources/<same name>, which is a target of both manifests;
- each such target has the same type, dependencies (with their trait conditions), settings and pkg-config name in
  both, and every project target it depends on is mirrored too;
- every package such a target uses is required at the same URL and version range, with the same traits, and every
  package both manifests name agrees;
- both declare the same package traits, default traits, platforms and Swift language modes.

    Scripts/check_benchmarks_manifest.py [--root DIR]
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = "Benchmarks/Package.swift"
MAIN = "Package.swift"


def dump_package(folder: Path) -> dict:
    """The manifest of the package in `folder`, as `swift package dump-package` prints it."""
    result = subprocess.run(
        ["swift", "package", "--package-path", str(folder), "dump-package"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"check_benchmarks_manifest.py: swift package dump-package failed in {folder}:\n"
                         f"{result.stderr.strip()}")
    return json.loads(result.stdout)


def mirrored_modules(root: Path) -> tuple[list[str], list[str]]:
    """The names of Benchmarks/Sources' symlinked folders, and a problem for each link that is not a mirror."""
    names, problems = [], []
    sources = root / "Benchmarks" / "Sources"
    for entry in sorted(sources.iterdir()):
        if not entry.is_symlink():
            continue
        expected = root / "Sources" / entry.name
        target = (sources / os.readlink(entry)).resolve()
        if target != expected.resolve() or not expected.is_dir():
            problems.append(
                f"Benchmarks/Sources/{entry.name} links to {os.readlink(entry)}, not to an existing "
                f"../../Sources/{entry.name}: point it there (ln -sfn ../../Sources/{entry.name})"
            )
            continue
        names.append(entry.name)
    return names, problems


def dependency_key(dependency: dict) -> str:
    """One dependency as a comparable string; `"X"`, `.target(name: "X")` and `.byName` are the same."""
    kind, values = next(iter(dependency.items()))
    if kind in ("byName", "target"):
        return f"{values[0]}" + condition_text(values[1])
    if kind == "product":
        return f"{values[1]}/{values[0]}" + condition_text(values[3] if len(values) > 3 else None)
    return json.dumps(dependency, sort_keys=True)


def condition_text(condition: dict | None) -> str:
    if not condition:
        return ""
    parts = [f"{key}={sorted(value)}" for key, value in sorted(condition.items()) if value]
    return f" when {', '.join(parts)}" if parts else ""


def compare_target(name: str, main: dict, bench: dict, mirrored: set[str]) -> list[str]:
    problems = []
    for field in ("type", "settings", "pkgConfig", "exclude", "resources"):
        if main.get(field) != bench.get(field):
            problems.append(
                f"target {name}: {field} is {json.dumps(bench.get(field))} in {BENCH} but "
                f"{json.dumps(main.get(field))} in {MAIN}: make {BENCH} say what {MAIN} says"
            )
    main_dependencies = {dependency_key(d) for d in main["dependencies"]}
    bench_dependencies = {dependency_key(d) for d in bench["dependencies"]}
    if missing := sorted(main_dependencies - bench_dependencies):
        problems.append(f"target {name}: {BENCH} lacks the dependencies {missing} that {MAIN} gives it: add them")
    if extra := sorted(bench_dependencies - main_dependencies):
        problems.append(f"target {name}: {BENCH} adds the dependencies {extra} that {MAIN} does not: remove them")
    for dependency in main["dependencies"]:
        kind, values = next(iter(dependency.items()))
        if kind in ("byName", "target") and values[0] not in mirrored:
            problems.append(
                f"target {name} depends on {values[0]}, which Benchmarks/Sources does not mirror: "
                f"ln -s ../../Sources/{values[0]} Benchmarks/Sources/{values[0]} and add its target to {BENCH}"
            )
    return problems


def package_requirements(manifest: dict) -> dict[str, dict]:
    """Each package dependency by identity: its location, version requirement and traits."""
    packages = {}
    for dependency in manifest["dependencies"]:
        kind, entries = next(iter(dependency.items()))
        entry = entries[0]
        location = entry.get("location", {})
        packages[entry["identity"]] = {
            "location": location,
            "requirement": entry.get("requirement"),
            "traits": entry.get("traits"),
        }
    return packages


def used_packages(targets: list[dict]) -> set[str]:
    used = set()
    for target in targets:
        for dependency in target["dependencies"]:
            kind, values = next(iter(dependency.items()))
            if kind == "product":
                used.add(values[1])
    return used


def compare_packages(main: dict, bench: dict, mirrored_targets: list[dict]) -> list[str]:
    problems = []
    main_packages, bench_packages = package_requirements(main), package_requirements(bench)
    for identity in sorted(used_packages(mirrored_targets) - bench_packages.keys()):
        problems.append(f"package {identity}: used by mirrored targets but missing from {BENCH}: copy it from {MAIN}")
    for identity in sorted(main_packages.keys() & bench_packages.keys()):
        for field in ("location", "requirement", "traits"):
            if main_packages[identity][field] != bench_packages[identity][field]:
                problems.append(
                    f"package {identity}: {field} is {json.dumps(bench_packages[identity][field])} in {BENCH} but "
                    f"{json.dumps(main_packages[identity][field])} in {MAIN}: make {BENCH} say what {MAIN} says"
                )
    return problems


def compare_package_settings(main: dict, bench: dict) -> list[str]:
    def traits(manifest: dict) -> list:
        return sorted((trait["name"], sorted(trait["enabledTraits"])) for trait in manifest.get("traits") or [])

    problems = []
    for label, read in (
        ("traits (name, enabled traits)", traits),
        ("platforms", lambda manifest: manifest.get("platforms")),
        ("Swift language modes", lambda manifest: manifest.get("swiftLanguageVersions")),
    ):
        if read(main) != read(bench):
            problems.append(
                f"{label}: {json.dumps(read(bench))} in {BENCH} but {json.dumps(read(main))} in {MAIN}: "
                f"make {BENCH} say what {MAIN} says"
            )
    return problems


def check(root: Path, main: dict, bench: dict) -> list[str]:
    """Every way the benchmarks manifest differs from the main one, each with what to do; empty when in step."""
    names, problems = mirrored_modules(root)
    main_targets = {target["name"]: target for target in main["targets"]}
    bench_targets = {target["name"]: target for target in bench["targets"]}
    mirrored = set(names)
    for name in names:
        if name not in main_targets:
            problems.append(f"Benchmarks/Sources/{name} mirrors a folder that is no target of {MAIN}: remove it")
        elif name not in bench_targets:
            problems.append(f"Benchmarks/Sources/{name} is linked but {BENCH} has no target {name}: add it")
        else:
            problems += compare_target(name, main_targets[name], bench_targets[name], mirrored)
    mirrored_targets = [main_targets[name] for name in names if name in main_targets]
    problems += compare_packages(main, bench, mirrored_targets)
    problems += compare_package_settings(main, bench)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description="Fails when Benchmarks/Package.swift drifts from Package.swift.")
    parser.add_argument("--root", default=Path(__file__).resolve().parent.parent, type=Path, help="the checkout")
    arguments = parser.parse_args()
    root = arguments.root
    problems = check(root, dump_package(root), dump_package(root / "Benchmarks"))
    if problems:
        print(f"{BENCH} has drifted from {MAIN}:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    names, _ = mirrored_modules(root)
    print(f"{BENCH} is in step with {MAIN} ({len(names)} mirrored modules)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
