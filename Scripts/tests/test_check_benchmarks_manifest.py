"""Scripts/check_benchmarks_manifest.py on manifests shaped as `swift package dump-package` prints them: in step it
finds nothing; each kind of drift is named, with the target or package and what to do."""
import copy

import pytest

import check_benchmarks_manifest


def target(name, *dependencies, kind="regular"):
    return {"name": name, "type": kind, "dependencies": list(dependencies), "settings": [], "exclude": [],
            "resources": []}


def by_name(name):
    return {"byName": [name, None]}


def product(name, package):
    return {"product": [name, package, None, None]}


def package(identity, lower):
    return {"sourceControl": [{
        "identity": identity, "location": {"remote": [{"urlString": f"https://github.com/x/{identity}.git"}]},
        "requirement": {"range": [{"lowerBound": lower, "upperBound": "3.0.0"}]}, "traits": [{"name": "default"}],
    }]}


def manifest(targets, packages):
    return {"targets": targets, "dependencies": packages, "traits": [{"name": "ISAL", "enabledTraits": []}],
            "platforms": [], "swiftLanguageVersions": ["6"]}


@pytest.fixture
def checkout(tmp_path):
    """A checkout whose Benchmarks/Sources links Core and Node to Sources/, with manifests in step."""
    for name in ("Core", "Node", "peer"):
        (tmp_path / "Sources" / name).mkdir(parents=True)
    (tmp_path / "Benchmarks" / "Sources" / "BenchSupport").mkdir(parents=True)
    for name in ("Core", "Node"):
        (tmp_path / "Benchmarks" / "Sources" / name).symlink_to(f"../../Sources/{name}")
    main = manifest(
        [target("Core", product("NIOCore", "swift-nio")), target("Node", by_name("Core")),
         target("peer", by_name("Node"), product("ArgumentParser", "swift-argument-parser"), kind="executable")],
        [package("swift-nio", "2.1.0"), package("swift-argument-parser", "1.0.0")])
    bench = manifest(
        [target("Core", product("NIOCore", "swift-nio")), target("Node", {"target": ["Core", None]}),
         target("BenchSupport", by_name("Node"), product("Benchmark", "benchmark"))],
        [package("benchmark", "1.38.1"), package("swift-nio", "2.1.0")])
    return tmp_path, main, bench


def test_in_step(checkout):
    root, main, bench = checkout
    assert check_benchmarks_manifest.check(root, main, bench) == []


def test_a_dependency_added_on_one_side(checkout):
    root, main, bench = checkout
    bench["targets"][1]["dependencies"].append(product("NIOPosix", "swift-nio"))
    main["targets"][0]["dependencies"].append(by_name("Plurals"))
    problems = check_benchmarks_manifest.check(root, main, bench)
    assert any("target Node" in problem and "adds" in problem and "swift-nio/NIOPosix" in problem
               for problem in problems)
    assert any("target Core" in problem and "lacks" in problem and "Plurals" in problem for problem in problems)
    assert any("depends on Plurals, which Benchmarks/Sources does not mirror" in problem for problem in problems)


def test_a_version_or_trait_condition_that_differs(checkout):
    root, main, bench = checkout
    bench["dependencies"][1] = package("swift-nio", "2.0.0")
    main["targets"][0]["dependencies"][0] = {"product": ["NIOCore", "swift-nio", None, {"traits": ["ISAL"]}]}
    problems = check_benchmarks_manifest.check(root, main, bench)
    assert any(problem.startswith("package swift-nio: requirement") and "2.0.0" in problem and "2.1.0" in problem
               for problem in problems)
    assert any("target Core" in problem and "when traits=['ISAL']" in problem for problem in problems)


def test_a_module_or_link_that_went_away(checkout):
    root, main, bench = checkout
    changed = copy.deepcopy(bench)
    del changed["targets"][0]
    link = root / "Benchmarks" / "Sources" / "Node"
    link.unlink()
    link.symlink_to("../../Sources/peer")
    problems = check_benchmarks_manifest.check(root, main, changed)
    assert any("Benchmarks/Sources/Core is linked but Benchmarks/Package.swift has no target Core" in problem
               for problem in problems)
    assert any("Benchmarks/Sources/Node links to ../../Sources/peer" in problem for problem in problems)


def test_package_traits_that_differ(checkout):
    root, main, bench = checkout
    bench["traits"] = []
    problems = check_benchmarks_manifest.check(root, main, bench)
    assert [problem.split(":")[0] for problem in problems] == ["traits (name, enabled traits)"]
