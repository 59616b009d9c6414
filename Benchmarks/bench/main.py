"""The suite's command line: which sections to run and how long, then the report and the JSON of the run."""

import argparse
import datetime
import json
import os
import shutil
import sys
import tempfile

from bench import (bulk_client, checkout, course_client, metrics_endpoint, replay, scale, throughput,
                   trace_writer)
from bench.compare import compare
from bench.course_data import make_data_folder
from bench.report import report

ALL_SECTIONS = "throughput,client,bulk,trace,replay,metrics,scale"


def parse_arguments(argv, description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--show", metavar="JSON", help="print the table of an earlier run's JSON and exit")
    parser.add_argument("--compare", nargs=2, metavar=("OLD", "NEW"), help="key figures of two runs side by side")
    parser.add_argument("--bin-dir")
    parser.add_argument("--tools-dir", help="where trace-bench, replay-bench and metrics-bench are (the Benchmarks "
                        "package's build); default: --bin-dir")
    parser.add_argument("--c-responder")
    parser.add_argument("--c-responder-batched",
                        help="the recvmmsg/sendmmsg responder (Benchmarks/c-responder-batched.c)")
    parser.add_argument("--course")
    parser.add_argument("--results", default="bench-results")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--bulk-chunks", type=int, default=10000, help="chunks the bulk client fetches (bulk section)")
    parser.add_argument("--only", default=ALL_SECTIONS, help="comma-separated sections to run")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--duration", type=float)
    parser.add_argument("--sockets", type=int, default=4)
    parser.add_argument("--trace-compressor", choices=["igzip", "zlib"],
                        help="the traced peer's --trace-compressor (default: the peer's own default)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--window", type=int, default=32)
    parser.add_argument("--base-port", type=int, default=47100)
    parser.add_argument("--course-prefix", default="127.201.0")
    parser.add_argument("--scale-sizes", help="peers per scale run, e.g. 50,100,200 (--quick: 50,200)")
    parser.add_argument("--scale-loopback-base", type=int, default=236,
                        help="the scale runs' peers use 127.BASE.x.y (experiment.py --loopback-base)")
    parser.add_argument("--floods", type=int, help="floods per scale run (default 100, --quick 30)")
    parser.add_argument("--seed", type=int, default=7)
    return parser, parser.parse_args(argv)


def settle(cfg):
    """Fills in the settings that --quick and the defaults imply."""
    cfg.course = os.path.abspath(cfg.course)
    cfg.tools_dir = cfg.tools_dir or cfg.bin_dir
    q = cfg.quick
    cfg.rounds = cfg.rounds or (3 if q else 7)
    cfg.duration = cfg.duration or (1.0 if q else 1.5)
    cfg.mixes = ["get", "mixed"]
    cfg.client_runs = 10 if q else 20
    cfg.client_p4_runs = 1 if q else 3
    cfg.bulk_rounds = 3 if q else 5
    cfg.scale_sizes = [int(x) for x in (cfg.scale_sizes or ("50,200" if q else "50,100,200")).split(",")]
    cfg.floods = cfg.floods or (30 if q else 100)
    cfg.degree = 4
    cfg.sections = set(cfg.only.split(","))


def run_sections(cfg, work, results, log):
    data = make_data_folder(cfg.course, work)
    sections = [
        ("throughput", "throughput", "1. peer throughput (p2pload, alternating servers)",
         lambda: throughput.run(cfg, work, data, log)),
        ("client", "client", "2. client end to end, course topology on loopback",
         lambda: course_client.run(cfg, work, data, log)),
        ("bulk", "bulk_client", f"2b. one client fetching {cfg.bulk_chunks} chunks from one peer",
         lambda: bulk_client.run(cfg, work, log)),
        ("trace", "trace_bench", "3. trace writer",
         lambda: trace_writer.run(cfg, log, checkout.default_compression_level())),
        ("replay", "replay_bench", "4. replay", lambda: replay.run(cfg, log)),
        ("metrics", "metrics_bench", "metrics endpoint (metrics-bench)", lambda: metrics_endpoint.run(cfg, log)),
        ("scale", "scale", "5. scale: the experiment runner on loopback", lambda: scale.run(cfg, work, log)),
    ]
    for name, key, title, run in sections:
        if name in cfg.sections:
            log(f"== {title} ==")
            results[key] = run()


def run_suite(cfg):
    started = datetime.datetime.now(datetime.timezone.utc)
    commit, dirty = checkout.commit()
    results = {"meta": {"started": started.isoformat(timespec="seconds"), "commit": commit, "dirty": dirty,
                        "quick": cfg.quick, "cores": os.cpu_count(), "kernel": os.uname().release,
                        "load_average_at_start": os.getloadavg()}}
    work = tempfile.mkdtemp(prefix="p2p-bench-")
    try:
        run_sections(cfg, work, results, lambda text: print(text, file=sys.stderr, flush=True))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["meta"]["finished"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    results["meta"]["load_average_at_end"] = os.getloadavg()
    results["goals"] = report(results)
    os.makedirs(cfg.results, exist_ok=True)
    path = os.path.join(cfg.results, started.strftime("%Y%m%dT%H%M%SZ") + ("-quick" if cfg.quick else "") + ".json")
    with open(path, "w") as f:
        json.dump(results, f, indent=1, default=str)
        f.write("\n")
    print(f"\nJSON written to {path}")


def read_json(path, parser):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as error:
        parser.error(f"cannot read the results file {path}: {error}")


def main(argv=None, description=None):
    parser, cfg = parse_arguments(argv, description)
    if cfg.compare:
        compare(read_json(cfg.compare[0], parser), read_json(cfg.compare[1], parser))
        return
    if cfg.show:
        report(read_json(cfg.show, parser))
        return
    if not (cfg.bin_dir and cfg.c_responder and cfg.c_responder_batched and cfg.course):
        parser.error("--bin-dir, --c-responder, --c-responder-batched and --course are required "
                     "(Scripts/bench.sh passes them)")
    unknown = set(cfg.only.split(",")) - set(ALL_SECTIONS.split(","))
    if unknown:
        parser.error(f"--only: unknown section(s) {', '.join(sorted(unknown))}; use some of {ALL_SECTIONS}")
    settle(cfg)
    run_suite(cfg)
