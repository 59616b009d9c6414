"""Running the Benchmarks package's executables (trace-bench, replay-bench, metrics-bench) and reading the
figures out of what they print."""

import json
import os
import re

from bench.processes import run_timed

NUMBER = r"([0-9][0-9,_]*(?:\.[0-9]+)?)\s*([kKmM]?)(?![a-zA-Z])"


def run_tool(tools_dir, name, args, timeout, log):
    """Runs one tool to its end: its output (the last 20,000 characters), exit status, wall time and the JSON
    objects it printed one a line; {"present": False} when it was not built."""
    path = os.path.join(tools_dir, name)
    if not os.path.exists(path):
        log(f"  {name}: not built (see Benchmarks/Package.swift), skipped")
        return {"present": False}
    log(f"  running {name} {' '.join(args)}")
    status, out, err, wall = run_timed([path] + args, timeout)
    objects = []
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("{") and line.endswith("}"):
            try:
                objects.append(json.loads(line))
            except ValueError:
                pass
    return {"present": True, "status": status, "wall_s": round(wall, 2), "stdout": out[-20000:],
            "stderr": err[-4000:], "json": objects}


def find_rate(text, patterns):
    """The first number matched by one of `patterns` (regexes with a NUMBER group), with k/M suffixes applied."""
    for pattern in patterns:
        m = re.search(pattern, text, re.IGNORECASE | re.MULTILINE)
        if m:
            value = float(m.group(1).replace(",", "").replace("_", ""))
            suffix = m.group(2).lower() if m.lastindex and m.lastindex >= 2 and m.group(2) else ""
            return value * {"": 1, "k": 1e3, "m": 1e6}[suffix]
    return None


def json_field(objects, *names):
    """The first number under one of `names` at any depth of the JSON objects."""
    for obj in objects:
        stack = [obj]
        while stack:
            o = stack.pop()
            if isinstance(o, dict):
                for k, v in o.items():
                    if k in names and isinstance(v, (int, float)):
                        return float(v)
                    stack.append(v)
            elif isinstance(o, list):
                stack.extend(o)
    return None


def print_tail(text, out, lines=12):
    for line in text.strip().splitlines()[-lines:]:
        out(f"   | {line}")
