"""The clients' final metrics for Prometheus: the folder their --metrics-file outputs go into, the run's
start/stop marker beside them (the dashboards' experiment annotation), and node_exporter's textfile collector
serving that folder."""

import os
import shutil
import socket
import subprocess
import time

MARKER = "experiment.prom"


def folder(out):
    """OUT/client-metrics, created: every client's --metrics-file goes here."""
    path = os.path.join(out, "client-metrics")
    os.makedirs(path, exist_ok=True)
    return path


def mark(path, experiment, running):
    """Writes p2p_experiment_running{experiment=...} (1 while the run goes on, 0 once it stopped), atomically."""
    name = experiment.replace("\\", "\\\\").replace('"', '\\"')
    text = ("# HELP p2p_experiment_running 1 while an experiment runner's run is going on, 0 once it stopped.\n"
            "# TYPE p2p_experiment_running gauge\n"
            f'p2p_experiment_running{{experiment="{name}"}} {1 if running else 0}\n')
    temporary = os.path.join(path, MARKER + ".tmp")
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(temporary, os.path.join(path, MARKER))


def start_node_exporter(path, listen, log_path):
    """Starts prometheus-node-exporter with only its textfile collector on `path`, listening on `listen`
    (ip:port); returns the process once it answers, or raises RuntimeError saying what to do."""
    exe = shutil.which("prometheus-node-exporter")
    if not exe:
        raise RuntimeError("prometheus-node-exporter is missing: apt install prometheus-node-exporter")
    log = open(log_path, "w", encoding="utf-8")
    process = subprocess.Popen([exe, "--collector.disable-defaults", "--collector.textfile",
                                f"--collector.textfile.directory={path}", f"--web.listen-address={listen}"],
                               stdout=log, stderr=subprocess.STDOUT)
    host, port = listen.rsplit(":", 1)
    for _ in range(100):
        if process.poll() is not None:
            raise RuntimeError(f"node_exporter exited at start (see {log_path})")
        try:
            with socket.create_connection((host, int(port)), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"node_exporter does not listen on {listen} after 10 s (see {log_path})")
