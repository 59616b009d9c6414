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
