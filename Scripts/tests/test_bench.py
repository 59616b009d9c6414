"""Benchmarks/bench (the suite Scripts/bench.sh runs): its command line, its report of a results file, and the
scale section's pure pieces (the experiment runner's command line, figures and goals from flood rows)."""
import argparse
import os
import subprocess
import sys

from conftest import ROOT

sys.path.insert(0, os.path.join(ROOT, "Benchmarks"))

import experiment  # noqa: E402
import topology  # noqa: E402
from bench import scale, scale_report  # noqa: E402
from bench.scale_figures import figures  # noqa: E402
from bench.trace_writer import levels_of  # noqa: E402

BENCH = os.path.join(ROOT, "Benchmarks", "bench.py")
FULL_RUN = os.path.join(ROOT, "bench-results", "20261125T172956Z.json")
# A --quick run whose scale section ran the experiment runner.
EXPERIMENT_RUN = os.path.join(ROOT, "bench-results", "20261203T224410Z-quick.json")


def bench(*args):
    return subprocess.run(["/usr/bin/python3", BENCH, *args], capture_output=True, text=True, timeout=60)


def ring_rows():
    """Two floods of a 6-ring from p1 asking chunk 1, as measure.floods lays them out: the first as the walk tree
    says, the second with one QUERY more and one datagram lost."""
    ring = topology.parse(topology.generate("ring:6", 1, "one:1"), "ring:6")
    want = topology.expected_flood(ring, "p1", 3, [1])
    base = {"queries": want["queries"], "expected_queries": want["queries"], "peers_reached": want["peers_reached"],
            "duplicates": want["duplicates"], "lost": 0, "chunks_missing": 0, "matches_expected": True,
            "last_chunk_info_ms": 2.0, "last_chunk_ms": 3.0}
    return [base, dict(base, queries=want["queries"] + 1, lost=1, matches_expected=False, last_chunk_info_ms=4.0)]


def test_the_ring_flood_the_figures_start_from_is_the_hand_counted_one():
    # p1 -> p2, p6 (ttl 3) -> p3, p5 (ttl 2) -> p4 twice (ttl 1): six queries, p4 once too many.
    assert [ring_rows()[0][k] for k in ("queries", "peers_reached", "duplicates")] == [6, 6, 1]


def test_scale_figures_of_two_floods():
    f = figures(ring_rows(), {"peer_cpu_ms_per_flood": 1.5, "pss_mib_mean": 4.4, "rss_mib_mean": 20.0}, 2)
    assert (f["floods"], f["floods_traced"], f["floods_as_expected"]) == (2, 2, 1)
    assert (f["queries_per_flood"], f["expected_queries_per_flood"], f["datagrams_lost"]) == (6.5, 6.0, 1)
    assert (f["ms_to_last_chunk_info_median"], f["ms_to_last_chunk_info_p90"]) == (3.0, 4.0)
    assert (f["peer_cpu_ms_per_flood"], f["peer_pss_mib_mean"], f["peer_rss_mib_mean"]) == (1.5, 4.4, 20.0)


def test_scale_report_misses_the_goals_a_lost_datagram_breaks():
    usage = {"peer_cpu_ms_per_flood": 1.5, "pss_mib_mean": 4.4, "rss_mib_mean": 20.0}
    good = dict(figures(ring_rows()[:1], usage, 1), run_s=3.0)
    bad = dict(figures(ring_rows(), usage, 2), run_s=4.0)
    result = {"spec": "ring:6", "peers": 6, "sequential": good, "burst": bad}
    lines, goals = [], []
    scale_report.report({"sizes": [result], "irregular": result}, lines.append, goals)
    met = {g["goal"]: g["met"] for g in goals}
    assert met == {"ring:6: datagrams lost (sequential)": True, "ring:6: datagrams lost (burst)": False,
                   "ring:6: floods = walk tree": True}
    burst_row = next(line for line in lines if " burst " in line)
    assert burst_row.split()[:7] == ["ring:6", "burst", "1/2", "6.50", "6.00", "6", "1"]


def test_scale_runs_the_experiment_runner_with_the_sections_settings():
    cfg = argparse.Namespace(floods=30, seed=7, bin_dir="/bin", course="/course", scale_loopback_base=236)
    argv = scale.experiment_argv(cfg, "regular:50,4", 50, 30, "/tmp/out")
    assert argv[1] == os.path.join(ROOT, "Scripts", "experiment.py")
    args = experiment.parse_arguments(argv[2:])
    assert (args.topology, args.ttls, args.floods, args.parallel) == ("regular:50,4", [3], 30, 30)
    assert (args.placement, args.chunks_per_flood, args.seed, args.no_replay) == ("random:10,10", 2, 57, True)


def test_trace_writer_levels_read_from_its_output():
    text = ("writer igzip level 1:   2295974 events per CPU-second (encode+compress+write), 2288536 events/s wall; "
            "19.5 compressed bytes/event\nwriter zlib level 1:    1110582 events per CPU-second, 1109462 events/s "
            "wall; 20.0 compressed bytes/event\n")
    levels, zlib_levels, compressor = levels_of(text)
    assert compressor == "igzip"
    assert levels == {1: {"events_per_second": 2288536, "events_per_cpu_second": 2295974,
                          "compressed_bytes_per_event": 19.5}}
    assert zlib_levels[1]["events_per_second"] == 1109462


def test_show_prints_every_section_of_an_earlier_run():
    result = bench("--show", FULL_RUN)
    assert result.returncode == 0, result.stderr
    for title in ("1. Peer throughput", "2. Client end to end", "3. Trace writer", "4. Replay", "Metrics endpoint",
                  "5. Scale", "Goals"):
        assert title in result.stdout
    assert "MET   client p1 5,6,7 end to end               14.00 ms  (goal < 50 ms)" in result.stdout


def test_show_prints_the_scale_runs_of_the_experiment_runner():
    result = bench("--show", EXPERIMENT_RUN)
    assert result.returncode == 0, result.stderr
    assert "5. Scale on loopback, measured by Scripts/experiment.py" in result.stdout
    rows = [line.split() for line in result.stdout.splitlines() if line.startswith("   regular:200,4 ")]
    assert [row[:5] for row in rows] == [["regular:200,4", "sequential", "30/30", "52.00", "52.00"],
                                         ["regular:200,4", "burst", "30/30", "52.00", "52.00"]]
    assert "MET   regular:200,4: floods = walk tree        30   (goal 30)" in result.stdout


def test_compare_sets_two_runs_side_by_side():
    other = os.path.join(ROOT, "bench-results", "20261125T180208Z.json")
    result = bench("--compare", FULL_RUN, other)
    assert result.returncode == 0, result.stderr
    assert "throughput get peer answers/s                          222,443.33       238,432.67      +7%" \
        in result.stdout


def test_bad_command_lines_say_what_is_wrong(tmp_path):
    missing = bench("--show", str(tmp_path / "none.json"))
    assert missing.returncode == 2 and "cannot read the results file" in missing.stderr
    assert str(tmp_path / "none.json") in missing.stderr
    unknown = bench("--bin-dir", "b", "--c-responder", "c", "--c-responder-batched", "d", "--course", "e",
                    "--only", "throughput,speed")
    assert unknown.returncode == 2 and "unknown section(s) speed" in unknown.stderr
