"""Section 4: `p2ptrace replay` against `zcat | jq -c .` on the same trace set, from replay-bench's output."""

import os

from bench.printing import fmt, goal_row
from bench.tool_output import NUMBER, find_rate, json_field, print_tail, run_tool


def run(cfg, log):
    return run_tool(cfg.tools_dir, "replay-bench", ["--events", "300000" if cfg.quick else "1000000", "--p2ptrace",
                                                    os.path.join(cfg.bin_dir, "p2ptrace")], 600, log)


def parse(rb):
    """Adds the figures read from replay-bench's output to its result."""
    text = rb["stdout"]
    ratio = json_field(rb["json"], "speedup", "ratio", "speedup_vs_jq") or \
        find_rate(text, [r"replay is\s*([0-9.]+)()x", r"speed-?up[^0-9\n]*" + NUMBER])
    peak = json_field(rb["json"], "peak_rss_mib", "peak_memory_mib", "max_rss_mib") or \
        find_rate(text, [r"peak[^0-9\n]*" + NUMBER])
    rb["replay_events_per_second"] = find_rate(
        text, [r"^p2ptrace replay --format json.*?s\s+" + NUMBER + r"\s*events/s"])
    rb["jq_events_per_second"] = find_rate(text, [r"^zcat files \| jq.*?s\s+" + NUMBER + r"\s*events/s"])
    rb["events"] = find_rate(text, [r"trace set:\s*" + NUMBER + r"\s*events"])
    if rb["replay_events_per_second"] and rb["jq_events_per_second"]:
        ratio = rb["replay_events_per_second"] / rb["jq_events_per_second"]
    rb["speedup_vs_jq"], rb["peak_memory"] = ratio, peak


def report(rb, out, goals):
    out("\n4. Replay (replay-bench) vs zcat | jq -c . on the same trace set")
    if not rb.get("present"):
        out("   replay-bench not present: skipped")
        return
    parse(rb)
    ratio = rb["speedup_vs_jq"]
    out(f"   {fmt(rb['events'], 0)} events: replay --format json {fmt(rb['replay_events_per_second'], 0)} events/s"
        f"   zcat|jq {fmt(rb['jq_events_per_second'], 0)} events/s")
    out(f"   replay vs zcat|jq {fmt(ratio, 2)}×   peak memory {fmt(rb['peak_memory'], 1)} MB   "
        f"(exit {rb['status']}, {rb['wall_s']} s)")
    print_tail(rb["stdout"], out)
    goal_row(goals, "replay vs zcat | jq -c .", ratio, "≥ 3×", ratio is not None and ratio >= 3, "×")
