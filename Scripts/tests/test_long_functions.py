"""Scripts/long_functions.py on Swift sources written here: what it counts as a function, and its exact length."""
import subprocess
import sys

import long_functions
from conftest import SCRIPTS


def function_lengths(tmp_path, source):
    path = tmp_path / "Sample.swift"
    path.write_text(source)
    return {(function.name, function.line): function.length for function in long_functions.functions_in(path)}


def body(lines):
    return "".join(f"        let value{index} = {index}\n" for index in range(lines))


def test_length_runs_from_keyword_to_closing_brace(tmp_path):
    source = "/// A doc comment is not counted.\n@inlinable\nfunc sixty() {\n" + body(58) + "}\n"
    assert function_lengths(tmp_path, source) == {("sixty", 3): 60}


def test_braces_in_strings_and_comments_do_not_count(tmp_path):
    source = (
        "struct S {\n"
        "    func tricky(x: [Int]) -> String {\n"
        '        let a = "}"  // }\n'
        "        /* { nested /* } */ still a comment { */\n"
        '        let b = """\n'
        "            }\n"
        "            {\n"
        '            """\n'
        '        let c = #"raw } \\(not interpolated "#\n'
        '        return "\\(x.map { "\\($0)}" })" + a + b + c\n'
        "    }\n"
        "    func after() {}\n"
        "}\n"
    )
    assert function_lengths(tmp_path, source) == {("tricky", 2): 10, ("after", 12): 1}


def test_requirements_without_bodies_and_stored_properties_are_not_functions(tmp_path):
    source = (
        "protocol P {\n"
        "    func required() -> Int\n"
        "    init(value: Int)\n"
        "    var size: Int { get }\n"
        "}\n"
        "struct S {\n"
        "    var stored = 1\n"
        "    let made: [Int] = { [1, 2] }()\n"
        "    var computed: Int {\n"
        "        stored + Self.init(stored: 2).stored\n"
        "    }\n"
        "    init(stored: Int) { self.stored = stored }\n"
        "}\n"
    )
    assert function_lengths(tmp_path, source) == {("size", 4): 1, ("computed", 9): 3, ("init", 12): 1}


def test_nested_functions_count_on_their_own_and_within(tmp_path):
    source = "func outer() {\n    func inner() {\n        print(1)\n    }\n    inner()\n}\n"
    assert function_lengths(tmp_path, source) == {("outer", 1): 6, ("inner", 2): 3}


def test_fails_only_for_checked_folders(tmp_path):
    """Hidden folders (a build's checkouts) and symlinked folders are not scanned."""
    checked, listed = tmp_path / "Sources", tmp_path / "Tests"
    checked.mkdir()
    listed.mkdir()
    (listed / "Long.swift").write_text("func long() {\n" + body(70) + "}\n")
    (checked / "Short.swift").write_text("func short() {\n" + body(3) + "}\n")
    (checked / ".build").mkdir()
    (checked / ".build" / "Dependency.swift").write_text("func theirs() {\n" + body(70) + "}\n")
    (checked / "Linked").symlink_to(listed)
    script = [sys.executable, f"{SCRIPTS}/long_functions.py"]

    passing = subprocess.run([*script, str(checked), "--report-only", str(listed)], capture_output=True, text=True)
    assert passing.returncode == 0
    assert "Long.swift:1: long is 72 lines" in passing.stdout

    failing = subprocess.run([*script, str(checked), str(listed)], capture_output=True, text=True)
    assert failing.returncode == 1
    assert "split the functions above" in failing.stderr
