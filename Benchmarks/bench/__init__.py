"""The whole-system benchmark suite that Scripts/bench.sh runs through Benchmarks/bench.py.

One module per section (throughput, course_client, bulk_client, trace_writer, replay, metrics_endpoint, scale),
each with a `run` that measures and a `report` that prints; main.py parses the command line and runs them,
report.py prints the table and the goals, compare.py sets two runs' key figures side by side.
"""
