"""Scripts/check_architecture_map.py: a map naming a file that does not exist fails, naming the line and path."""
import check_architecture_map


def test_names_each_missing_path_with_its_line(tmp_path):
    (tmp_path / "Sources" / "Node").mkdir(parents=True)
    (tmp_path / "Sources" / "Node" / "Driver.swift").write_text("")
    document = tmp_path / "ARCHITECTURE.md"
    document.write_text(
        "| step | `Sources/Node/Driver.swift` |\n| send | `Sources/Node/Gone.swift`, `Package.swift` |\n")
    assert check_architecture_map.missing_paths(document, tmp_path) == [
        (2, "Sources/Node/Gone.swift"), (2, "Package.swift")]


MODULES = """# Architecture

| step | file |
|---|---|
| `Node` | `Sources/Node/Driver.swift` |

## Modules

| module | uses (ours) | uses (libraries) |
|---|---|---|
| `Core` | — | NIOCore |
| `Node`, `peer` | `Core` (and `Remark`) | swift-log |
"""


def manifest(*targets):
    return {"targets": list(targets)}


def target(name, *dependencies, kind="regular", path=None):
    return {"name": name, "type": kind, "path": path, "dependencies": list(dependencies)}


def by_name(name):
    return {"byName": [name, None]}


def product(name, package):
    return {"product": [name, package, None, None]}


def test_the_module_table_matches_the_manifest():
    assert check_architecture_map.graph_problems(MODULES, manifest(
        target("Core", product("NIOCore", "swift-nio")),
        target("Node", {"target": ["Core", {"traits": ["X"]}]}, product("Logging", "swift-log")),
        target("peer", by_name("Core"), kind="executable"),
        target("CZlib", kind="system"),
        target("TestSupport", by_name("Core"), path="Tests/TestSupport"),
        target("NodeTests", by_name("Node"), kind="test"),
    )) == []


def test_each_difference_is_named_with_its_line():
    problems = check_architecture_map.graph_problems(MODULES, manifest(
        target("Core", product("NIOCore", "swift-nio"), product("NIOPosix", "swift-nio")),
        target("Node", by_name("Core"), by_name("Wire")),
        target("Wire"),
    ))
    assert problems == [
        "line 11: Core uses NIOPosix of swift-nio: name it in its row",
        "line 12: Node also uses ['Wire'] (Package.swift): add them to its row",
        "line 12: `peer` is no library or executable target of Package.swift",
        "Package.swift's target Wire has no row in the ## Modules table: add one",
    ]
    core_problems = check_architecture_map.graph_problems(MODULES, manifest(
        target("Core", product("Collections", "swift-collections")),
        target("Node"), target("peer", kind="executable")))
    assert "line 11: Core uses Collections of swift-collections: name it in its row" in core_problems
    assert "line 12: Node does not use ['Core'] (Package.swift): remove them from its row" in core_problems
