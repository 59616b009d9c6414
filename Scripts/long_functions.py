#!/usr/bin/env python3
"""Lists the Swift functions longer than a limit, so that "no function over ~60 lines" stays true.

A function is a `func`, `init`, `deinit` or `subscript` with a body, or a computed property (`var name: T { ... }`).
Its length runs from the line of its keyword to the line of its closing brace, both included (attributes and doc
comments above it are not counted). Braces inside strings and comments do not count. A nested function counts
within its outer one and also on its own.

    Scripts/long_functions.py [--limit 60] [--report-only DIR...] DIR...

Exit status 1 when a function in a checked folder is over the limit; folders given with --report-only are listed
and counted but never fail the check.
"""

import argparse
import os
import re
import sys
from pathlib import Path
from typing import NamedTuple

DECLARATION = re.compile(r"\b(func|init|deinit|subscript|var)\b")
# Keywords that end a declaration without a body (a protocol requirement) before any `{` is seen.
NEXT_DECLARATION = re.compile(
    r"\b(func|init|deinit|subscript|var|let|case|typealias|associatedtype|struct|class|enum|protocol|extension)\b"
)
IDENTIFIER_CHAR = re.compile(r"[A-Za-z0-9_]")


class Function(NamedTuple):
    path: Path
    line: int
    name: str
    length: int


def blank_strings_and_comments(source: str) -> str:
    """Returns `source` with every comment and string literal's contents replaced by spaces (newlines kept).

    Handles nested block comments, escapes, raw strings (`#"..."#`), multi-line strings and string interpolation
    (`\\(...)`, whose code is kept, since it may hold strings of its own).
    """
    return _Blanker(source).run()


STRING_START = re.compile(r'(#*)("""|")')


class _Blanker:
    """One pass over a Swift source that blanks comments and the contents of string literals."""

    def __init__(self, source: str):
        self.source = source
        self.out = list(source)
        self.position = 0
        self.strings: list[tuple[str, int]] = []  # the open string literals: (quote, number of #)
        self.interpolations: list[int] = []  # the parenthesis depth inside each open `\\(`

    def run(self) -> str:
        while self.position < len(self.source):
            if len(self.interpolations) < len(self.strings):
                self.step_in_string()
            else:
                self.step_in_code()
        return "".join(self.out)

    def blank(self, start: int, end: int) -> None:
        for index in range(start, min(end, len(self.out))):
            if self.out[index] != "\n":
                self.out[index] = " "

    def step_in_string(self) -> None:
        quote, hashes = self.strings[-1]
        closing = quote + "#" * hashes
        if self.source.startswith(closing, self.position):
            self.strings.pop()
            self.position += len(closing)
            return
        escape = "\\" + "#" * hashes
        if self.source.startswith(escape, self.position):
            after = self.position + len(escape)
            if self.source.startswith("(", after):
                self.interpolations.append(0)
            self.blank(self.position, after + 1)
            self.position = after + 1
            return
        self.blank(self.position, self.position + 1)
        self.position += 1

    def step_in_code(self) -> None:
        source, position = self.source, self.position
        if source.startswith("//", position):
            end = source.find("\n", position)
            self.skip_comment(len(source) if end < 0 else end)
        elif source.startswith("/*", position):
            self.skip_comment(self.block_comment_end())
        elif match := STRING_START.match(source, position):
            self.strings.append((match.group(2), len(match.group(1))))
            self.position = match.end()
        else:
            self.track_interpolation(source[position])
            self.position += 1

    def skip_comment(self, end: int) -> None:
        self.blank(self.position, end)
        self.position = end

    def block_comment_end(self) -> int:
        depth, end = 0, self.position
        while end < len(self.source):
            if self.source.startswith("/*", end):
                depth, end = depth + 1, end + 2
            elif self.source.startswith("*/", end):
                depth, end = depth - 1, end + 2
                if depth == 0:
                    return end
            else:
                end += 1
        return end

    def track_interpolation(self, character: str) -> None:
        """Counts parentheses inside an interpolation; the `)` that closes it is blanked and ends it."""
        if not self.interpolations:
            return
        if character == "(":
            self.interpolations[-1] += 1
        elif character == ")":
            if self.interpolations[-1] == 0:
                self.interpolations.pop()
                self.out[self.position] = " "
            else:
                self.interpolations[-1] -= 1


def matching_brace(code: str, opening: int) -> int:
    """Returns the index of the `}` that closes the `{` at `opening`, or -1 when the file ends first."""
    depth = 0
    for index in range(opening, len(code)):
        if code[index] == "{":
            depth += 1
        elif code[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    return -1


def body_start(code: str, keyword: str, after: int) -> int:
    """Returns the index of the `{` that opens the body of the declaration whose keyword ends at `after`, or -1.

    Brackets of the signature (parameters with closure defaults, generics) are skipped. A `var` without a `{` on its
    line at bracket depth 0 (a stored property, or one initialised by `= ...`) has no body.
    """
    depth = 0
    index = after
    while index < len(code):
        character = code[index]
        if character in "([":
            depth += 1
        elif character in ")]":
            depth -= 1
            if depth < 0:
                return -1  # a `var` inside a pattern, `case .x(var y)`
        elif depth == 0:
            if character == "{":
                return index
            if character in "};=":
                return -1
            if keyword == "var" and character == "\n":
                return -1
            if NEXT_DECLARATION.match(code, index) and not IDENTIFIER_CHAR.match(code[index - 1]):
                return -1
        index += 1
    return -1


def declaration_name(code: str, keyword: str, after: int) -> str:
    if keyword in ("init", "deinit", "subscript"):
        return keyword
    match = re.compile(r"\s*(`?[^\s(<:`]+`?)").match(code, after)
    return match.group(1) if match else keyword


def functions_in(path: Path) -> list[Function]:
    code = blank_strings_and_comments(path.read_text(encoding="utf-8"))
    line_starts = [0] + [index + 1 for index, character in enumerate(code) if character == "\n"]

    def line_of(index: int) -> int:
        low, high = 0, len(line_starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if line_starts[middle] <= index:
                low = middle
            else:
                high = middle - 1
        return low + 1

    found = []
    for match in DECLARATION.finditer(code):
        if match.start() > 0 and code[match.start() - 1] in ".`$":
            continue  # `.init(...)`, `self.init`, a backquoted identifier
        keyword = match.group(1)
        opening = body_start(code, keyword, match.end())
        if opening < 0:
            continue
        closing = matching_brace(code, opening)
        if closing < 0:
            continue
        first, last = line_of(match.start()), line_of(closing)
        found.append(Function(path, first, declaration_name(code, keyword, match.end()), last - first + 1))
    return found


def swift_files(folders: list[str]) -> list[Path]:
    files = []
    for folder in folders:
        root = Path(folder)
        if not root.is_dir():
            raise SystemExit(f"long_functions.py: {folder} is not a folder")
        # Symlinked folders (Benchmarks/Sources/<Module> -> Sources/<Module>) are not followed: counted once, there.
        for folder_path, folder_names, names in os.walk(root):
            folder_names[:] = sorted(name for name in folder_names if not name.startswith("."))  # .build, .git
            files.extend(Path(folder_path) / name for name in sorted(names) if name.endswith(".swift"))
    return files


def report(label: str, functions: list[Function], limit: int) -> list[Function]:
    over = sorted((function for function in functions if function.length > limit), key=lambda f: -f.length)
    print(f"{label}: {len(over)} of {len(functions)} functions over {limit} lines")
    for function in over:
        print(f"  {function.path}:{function.line}: {function.name} is {function.length} lines")
    return over


def main() -> int:
    parser = argparse.ArgumentParser(description="Lists Swift functions longer than a limit.")
    parser.add_argument("folders", nargs="*", help="folders whose functions must stay within the limit")
    parser.add_argument("--limit", type=int, default=60, help="the most lines a function may have (60)")
    parser.add_argument(
        "--report-only", nargs="*", default=[], metavar="DIR", help="folders listed but never failing the check"
    )
    arguments = parser.parse_args()
    checked = [function for path in swift_files(arguments.folders) for function in functions_in(path)]
    listed = [function for path in swift_files(arguments.report_only) for function in functions_in(path)]
    over = report(" ".join(arguments.folders) or "(nothing checked)", checked, arguments.limit)
    if arguments.report_only:
        report(" ".join(arguments.report_only) + " (not enforced)", listed, arguments.limit)
    if over:
        print(f"split the functions above into named helpers (at most {arguments.limit} lines each)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
