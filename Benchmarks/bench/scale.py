"""Section 5: flooding at scale on loopback, measured by the experiment runner, not by a client of our own.

Each size is one run of Scripts/experiment.py (peer processes on distinct loopback addresses, real `client`
processes, traces read with `p2ptrace stats --floods`, each flood beside the walk-tree count of
topology.expected_flood). A random connected 4-regular graph per size, 10 chunks spread so that a peer holds 2 on
average, every flood asks for 2. Each size runs twice: one flood at a time (sequential) and every flood at once
(burst). A Barabási–Albert graph of the smallest size (degrees 2 to about 10) checks the expected count where it
differs from flood to flood.
"""

import json
import os
import subprocess
import sys
import time

from bench import checkout
from bench.scale_figures import figures

# The runner needs Debian's python3-networkx and python3-matplotlib: Debian's interpreter, whatever runs the suite.
PYTHON = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else sys.executable


def experiment_argv(cfg, spec, peers, parallel, out):
    """The experiment runner's command line for one run of `spec` (a Scripts/topology.py generator)."""
    return [PYTHON, os.path.join(checkout.SCRIPTS, "experiment.py"), "--topology", spec,
            "--placement", f"random:10,{max(1, peers // 5)}", "--chunks-per-flood", "2",
            "--floods", str(cfg.floods), "--ttl", "3", "--seed", str(cfg.seed + peers), "--no-replay",
            "--parallel", str(parallel), "--bin-dir", cfg.bin_dir, "--course", cfg.course, "--out", out,
            "--loopback-base", str(cfg.scale_loopback_base)]


def run_experiment(cfg, spec, peers, parallel, out, log):
    """Runs the experiment runner to its end, its progress lines in the log; returns (flood rows, the peers'
    resource usage, wall seconds). Exit status 1 (a flood off its expectation, or a datagram lost) is a figure,
    not a failure; any other is."""
    started = time.monotonic()
    process = subprocess.Popen(experiment_argv(cfg, spec, peers, parallel, out), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    lines = []
    for line in process.stdout:
        lines.append(line.rstrip())
        log(f"  | {line.rstrip()}")
    status = process.wait()
    if status not in (0, 1) or any(line.startswith("Traceback") for line in lines):
        raise RuntimeError(f"experiment.py {spec} ended with status {status}: {' / '.join(lines[-3:])}")
    with open(os.path.join(out, "floods.json"), encoding="utf-8") as f:
        rows = json.load(f)["floods"]
    with open(os.path.join(out, "summary.json"), encoding="utf-8") as f:
        usage = json.load(f)["settings"]["resources"][0]
    return rows, usage, time.monotonic() - started


def measure(cfg, work, log, spec, peers):
    """Both phases of one graph: sequential (one client at a time) and burst (every client at once)."""
    result = {"spec": spec, "peers": peers}
    for phase, parallel in (("sequential", 1), ("burst", cfg.floods)):
        out = os.path.join(work, f"scale-{spec.replace(':', '-').replace(',', '-')}-{phase}")
        log(f"  {spec}, {phase}: {cfg.floods} floods, {parallel} client(s) at a time")
        rows, usage, wall = run_experiment(cfg, spec, peers, parallel, out, log)
        result[phase] = figures(rows, usage, cfg.floods)
        result[phase]["run_s"] = round(wall, 1)
    return result


def run(cfg, work, log):
    """One result per size of cfg.scale_sizes (4-regular), then the irregular graph of the smallest size."""
    results = [measure(cfg, work, log, f"regular:{n},{cfg.degree}", n) for n in cfg.scale_sizes]
    n = cfg.scale_sizes[0]
    irregular = measure(cfg, work, log, f"ba:{n},{max(1, cfg.degree // 2)}", n)
    return {"measured_by": "Scripts/experiment.py", "sizes": results, "irregular": irregular}
