"""Watching the course scenario from inside its network: a port that listens in a host, the contact peer's
counters, a real Prometheus and node_exporter on the monitor host, and every dashboard query run against them."""

import glob
import os
import re
import subprocess
import time

import course
from experiments.places import PlaceError

PYTHON = "/usr/bin/python3"
SCRIPTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(SCRIPTS)
# Counters a dashboard may show as 0 after the scenario's traffic; without loss also the loss panels' ones.
ALLOW_ZERO = "write_errors|events_dropped|queue_bytes|ttl_clamped|rate_limited"
ALLOW_ZERO_WITHOUT_LOSS = ALLOW_ZERO + "|label_replace|client_retries"
FETCH = ("import sys, urllib.request\n"
         "sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode('utf-8', 'replace'))")
COUNTERS = re.compile(r'^p2p_messages_(sent|received)_total\{type="(hello|query|chunk_info)"\}')


def listening(place, host, proto, port):
    """Whether something on `host` listens on `port` (proto "u" for UDP, "t" for TCP)."""
    result = subprocess.run(place.command(host, ["ss", f"-Hln{proto}", f"sport = :{port}"]), capture_output=True,
                            text=True)
    return bool(result.stdout.strip())


def wait_listening(place, host, proto, port, process, what, log, seconds=15):
    """Waits until `process` (`what`, logging into `log`) listens on `port`; raises PlaceError saying why not."""
    deadline = time.monotonic() + seconds
    while not listening(place, host, proto, port):
        if process.poll() is not None or time.monotonic() > deadline:
            try:
                with open(log, encoding="utf-8", errors="replace") as f:
                    tail = f.read()[-2000:]
            except OSError:
                tail = ""
            state = "exited" if process.poll() is not None else f"is not listening after {seconds} s"
            raise PlaceError(f"{what} {state} (port {port} on {host}; {log}):\n{tail}")
        time.sleep(0.1)


def counters(place, host, url):
    """The HELLO, QUERY and CHUNK_INFO counters of a peer's /metrics, fetched from `host`."""
    result = subprocess.run(place.command(host, [PYTHON, "-c", FETCH, url]), capture_output=True, text=True,
                            timeout=30)
    if result.returncode != 0:
        return [f"(no answer from {url}: {result.stderr.strip().splitlines()[-1:]})"]
    return [line for line in result.stdout.splitlines() if COUNTERS.match(line)]


def start_prometheus(place, host, out):
    """Prometheus (scraping OUT/prometheus.yml every second) and node_exporter's textfile collector on `host`."""
    logs = os.path.join(out, "logs")
    log = os.path.join(logs, "prometheus.log")
    process = place.start(host, ["prometheus", f"--config.file={out}/prometheus.yml",
                                 f"--storage.tsdb.path={out}/prometheus-data", "--web.listen-address=127.0.0.1:9090"],
                          log)
    wait_listening(place, host, "t", 9090, process, "prometheus", log)
    log = os.path.join(logs, "node-exporter.log")
    process = place.start(host, ["prometheus-node-exporter"] + course.node_exporter_args(out), log)
    wait_listening(place, host, "t", course.NODE_EXPORTER_PORT, process, "node-exporter", log)


def check_dashboards(place, host, out, lossy):
    """Every dashboard query against the Prometheus on `host` (Scripts/dashboard_check.py); returns (ok, report).
    Without loss the loss panels may be empty or 0."""
    argv = [PYTHON, os.path.join(SCRIPTS, "dashboard_check.py"), "--prometheus", "http://127.0.0.1:9090",
            "--targets", "6", "--rate-interval", "1m", "--require-nonzero", "--results",
            os.path.join(out, "dashboard-results.json"),
            "--allow-zero", ALLOW_ZERO if lossy else ALLOW_ZERO_WITHOUT_LOSS]
    if not lossy:
        argv += ["--allow-empty", "Lossy links"]
    argv += sorted(glob.glob(os.path.join(ROOT, "Dashboards", "*.json")))
    result = subprocess.run(place.command(host, argv), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            timeout=300)
    with open(os.path.join(out, "dashboard-check.txt"), "w", encoding="utf-8") as f:
        f.write(result.stdout)
    return result.returncode == 0, result.stdout
