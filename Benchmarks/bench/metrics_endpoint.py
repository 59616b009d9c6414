"""The metrics endpoint section: metrics-bench's scrape latency and a peer's throughput while scraped."""

from bench.tool_output import run_tool


def run(cfg, log):
    return run_tool(cfg.tools_dir, "metrics-bench", ["1" if cfg.quick else "2"], 300, log)


def report(mb, out, goals):
    out("\n   Metrics endpoint (metrics-bench)")
    if not mb.get("present"):
        out("   metrics-bench not present: skipped")
        return
    for line in mb["stdout"].strip().splitlines():
        out(f"   | {line}")
