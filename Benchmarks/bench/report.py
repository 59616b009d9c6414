"""The printed report of a run: a header, each section's table, then every goal met or missed."""

from bench import bulk_client, course_client, metrics_endpoint, replay, scale_report, throughput, trace_writer
from bench.printing import print_goals

# Result key -> the section's report, in the order they print.
SECTIONS = [("throughput", throughput.report), ("client", course_client.report), ("bulk_client", bulk_client.report),
            ("trace_bench", trace_writer.report), ("replay_bench", replay.report),
            ("metrics_bench", metrics_endpoint.report), ("scale", scale_report.report)]


def header(meta):
    return (f"p2p-chunks benchmarks  commit {meta['commit']}{' (dirty)' if meta['dirty'] else ''}  "
            f"{meta['started']}  {meta['cores']} cores  load {meta['load_average_at_start'][0]:.2f}"
            f"{'  QUICK' if meta['quick'] else ''}")


def report(results, out=print):
    """Prints the report of `results` (a run's JSON document); returns the goals, each met or not."""
    goals = []
    out(header(results["meta"]))
    for key, section_report in SECTIONS:
        if results.get(key):
            section_report(results[key], out, goals)
    print_goals(goals, out)
    return goals
