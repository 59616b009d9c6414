"""Section 3: the trace writer's figures, from trace-bench's output."""

import re

from bench.printing import fmt, goal_row
from bench.tool_output import NUMBER, find_rate, print_tail, run_tool

LEVEL_LINE = re.compile(r"^writer (igzip|zlib) level (\d+):(.*)$", re.MULTILINE)


def run(cfg, log, default_level):
    result = run_tool(cfg.tools_dir, "trace-bench", ["300000" if cfg.quick else "1000000"], 300, log)
    result["default_level"] = default_level
    return result


def levels_of(text):
    """Figures per compression level: (the default compressor's levels, zlib's when igzip is the default, the
    default compressor's name). Lines read "writer igzip level N: ..." (older runs printed zlib only)."""
    compressors = set(m.group(1) for m in LEVEL_LINE.finditer(text))
    levels, zlib_levels = {}, {}
    for m in LEVEL_LINE.finditer(text):
        figures = {"events_per_second": find_rate(m.group(3), [NUMBER + r"\s*events/s wall"]),
                   "events_per_cpu_second": find_rate(m.group(3), [NUMBER + r"\s*events per CPU-second"]),
                   "compressed_bytes_per_event": find_rate(m.group(3), [NUMBER + r"\s*compressed bytes/event"])}
        if m.group(1) == "igzip" or "igzip" not in compressors:
            levels[int(m.group(2))] = figures
        else:
            zlib_levels[int(m.group(2))] = figures
    return levels, zlib_levels, "igzip" if "igzip" in compressors else "zlib"


def parse(tb):
    """Adds the figures read from trace-bench's output to its result; returns the default compressor's name."""
    text = tb["stdout"]
    levels, zlib_levels, compressor = levels_of(text)
    level = tb.get("default_level", 1)
    if level not in levels:
        level = 1 if 1 in levels else level
    chosen = levels.get(level, {})
    tb.update({"reported_level": level, "levels": levels, "zlib_levels": zlib_levels,
               "events_per_second": chosen.get("events_per_second")
               or find_rate(text, [NUMBER + r"\s*events?\s*/\s*s"]),
               "events_per_cpu_second": chosen.get("events_per_cpu_second"),
               "compressed_bytes_per_event": chosen.get("compressed_bytes_per_event"),
               "json_bytes_per_event": find_rate(text, [NUMBER + r"\s*bytes/event \(JSON\)"]),
               "record_ns_steady": find_rate(text, [r"record\(\) steady state:\s*" + NUMBER]),
               "record_message_ns_steady": find_rate(text, [r"recordMessage\(\) steady:\s*" + NUMBER])})
    return compressor


def report(tb, out, goals):
    out("\n3. Trace writer (trace-bench)")
    if not tb.get("present"):
        out("   trace-bench not present: skipped")
        return
    compressor = parse(tb)
    level, rate = tb["reported_level"], tb["events_per_second"]
    default_note = "the default" if level == tb.get("default_level") else f"default is {tb.get('default_level')}"
    out(f"   writer ({compressor} {level}, {default_note}): {fmt(rate, 0)} events/s wall, "
        f"{fmt(tb['events_per_cpu_second'], 0)} events per CPU-second, {fmt(tb['compressed_bytes_per_event'], 1)} "
        f"compressed bytes/event ({fmt(tb['json_bytes_per_event'], 0)} JSON); on the datagram thread record() "
        f"{fmt(tb['record_ns_steady'], 0)} ns, recordMessage() {fmt(tb['record_message_ns_steady'], 0)} ns "
        f"(exit {tb['status']}, {tb['wall_s']} s)")
    print_tail(tb["stdout"], out)
    goal_row(goals, "trace writer events/s", rate, "≥ 500,000", rate is not None and rate >= 5e5, "/s")
