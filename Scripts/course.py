#!/usr/bin/python3
"""The course scenario's data, configuration and checks, and the scenario itself (`run`), shared by
run-course.sh, course_netns.sh and course_mininet.py.

The course topology (Topologies/course.json): peer N on 10.0.0.N:500N with key-values-files_peerN,
client hosts h6/h7 at 10.0.0.6/7, metrics of peer N on 10.0.0.N:910N.

Subcommands (all output goes under one run folder OUT):
  course.py run [--where loopback|netns|mininet] [--out OUT] [...]
                                           the course scenario (experiments/course_scenario.py; --help)
  course.py prepare OUT --course DIR       copy each peer's key-values file and chunks into OUT/data/pN
  course.py prometheus-config [--scrape-interval 5s] [--host-prefix 10.0.0]
                                           print a prometheus.yml scraping the five peers
  course.py check OUT --course DIR [--lossy] [--replay] [--repeat N] [--single-address IP]
                                           check client logs, chunk files, the flood trees in the traces
                                           and the replay output; exit 1 when anything is wrong

Only the Python standard library is used (and Scripts/topology.py); run it with /usr/bin/python3.
"""

import argparse
import os
import shutil
import signal
import sys

import topology  # noqa: E402  (Scripts/topology.py, beside this file)
from experiments import course_options  # noqa: E402

NET = "10.0.0"
NODE_EXPORTER_PORT = 9100
COURSE = topology.load(topology.COURSE_FILE)


def _number(name):
    return int(name.lstrip("ph"))


# peer number -> neighbour peer numbers, in the course's order (from Topologies/course.json)
NEIGHBOURS = {_number(n.name): [_number(m) for m in COURSE.neighbours[n.name]] for n in COURSE.nodes}


def _answering_holder(contact, chunk):
    """The peer whose CHUNK_INFO the client takes for `chunk`: the contact when it holds it, else the one holder."""
    holders = [n.name for n in COURSE.nodes if chunk in n.chunks]
    if contact in holders:
        return _number(contact)
    return _number(holders[0]) if len(holders) == 1 else None


# The example runs: (client host, contact peer, asked chunks, expected holder per chunk or None)
CLIENT_RUNS = [
    (c["name"], _number(c["contact"]), c["chunks"], {i: _answering_holder(c["contact"], i) for i in c["chunks"]})
    for c in COURSE.clients
]

INITIAL_TTL = 3


def peer_ip(n):
    return f"{NET}.{n}"


def host_ip(host):
    return f"{NET}.{int(host.lstrip('h'))}"


class Addresses:
    """Where a run put the course's nodes: peer N on 10.0.0.N:500N and client hN on 10.0.0.N (namespaces,
    Mininet), or everything on one address with the same ports (`single`, loopback)."""

    def __init__(self, single=None):
        self.single = single

    def peer(self, n):
        return f"{self.single or peer_ip(n)}:{5000 + n}"

    def client_ip(self, host):
        return self.single or host_ip(host)


NAMESPACES = Addresses()


# ---------------------------------------------------------------- prepare


def key_values_entries(path):
    entries = []
    with open(path, "r", encoding="utf-8") as f:
        for number, raw in enumerate(f.read().replace("\r\n", "\n").split("\n"), start=1):
            line = raw.strip()
            if not line:
                continue
            key, sep, name = line.partition(":")
            if not sep or not key.strip().isdigit() or not name.strip():
                raise SystemExit(f"{path}:{number}: expected '<id>: <file name>', got {raw!r}")
            entries.append((int(key.strip()), name.strip()))
    return entries


def prepare(out, course):
    """Lays out OUT/data/pN/{key-values-files_peerN, chunk files} and the other run folders."""
    kv_dir = os.path.join(course, "Key-values-files")
    chunk_dir = os.path.join(course, "Chunks")
    for n in NEIGHBOURS:
        target = os.path.join(out, "data", f"p{n}")
        os.makedirs(target, exist_ok=True)
        kv = os.path.join(kv_dir, f"key-values-files_peer{n}")
        shutil.copyfile(kv, os.path.join(target, f"key-values-files_peer{n}"))
        for _, name in key_values_entries(kv):
            shutil.copyfile(os.path.join(chunk_dir, name), os.path.join(target, name))
    for sub in ("traces", "logs", "clients", "client-metrics"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    for h in range(1, 8):
        os.makedirs(os.path.join(out, "traces", f"h{h}"), exist_ok=True)


def prometheus_config(scrape_interval="5s", prefix=NET):
    targets = ", ".join(f'"{prefix}.{n}:{9100 + n}"' for n in NEIGHBOURS)
    return f"""# Prometheus scraping the five course peers, and the node_exporter on the monitor host ({prefix}.8) whose
# textfile collector reads the clients' --metrics-file folder (written by Scripts/course.py prometheus-config).
global:
  scrape_interval: {scrape_interval}
  evaluation_interval: {scrape_interval}
scrape_configs:
  - job_name: p2p-peers
    metrics_path: /metrics
    static_configs:
      - targets: [{targets}]
        labels:
          topology: course
  - job_name: p2p-clients
    static_configs:
      - targets: ["{prefix}.8:{NODE_EXPORTER_PORT}"]
        labels:
          topology: course
"""


def node_exporter_args(out, prefix=NET):
    """node_exporter with only its textfile collector, reading OUT/client-metrics, on the monitor host."""
    return ["--collector.disable-defaults", "--collector.textfile",
            f"--collector.textfile.directory={os.path.join(out, 'client-metrics')}",
            f"--web.listen-address={prefix}.8:{NODE_EXPORTER_PORT}"]


def run(args):
    """The course scenario (experiments/course_scenario.py) with settled options; returns the exit status."""
    from experiments import course_scenario  # imports this module: only when running

    missing = course_options.missing_inputs(args)
    if missing:
        print(f"{args.name}: {missing}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return course_scenario.Scenario(args).run()


def main():
    parser = argparse.ArgumentParser(description="The course scenario's data, configuration and checks.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("out")
    p.add_argument("--course", required=True)
    p = sub.add_parser("prometheus-config")
    p.add_argument("--scrape-interval", default="5s")
    p.add_argument("--host-prefix", default=NET)
    p = sub.add_parser("check")
    p.add_argument("out")
    p.add_argument("--course", required=True)
    p.add_argument("--lossy", action="store_true", help="loss was injected: skip the exact flood-tree checks")
    p.add_argument("--replay", action="store_true", help="also check replay.txt and replay.json")
    p.add_argument("--repeat", type=int, default=1, help="h6's example client also ran into clients/h6-2 ... h6-N")
    p.add_argument("--single-address", metavar="IP", help="every node ran on this address (loopback runs)")
    p = sub.add_parser("run", help="run the course scenario (loopback, netns or mininet) into a run folder")
    course_options.add_options(p)
    args = parser.parse_args()
    if args.command == "run":
        return run(course_options.settle(args, p))
    if args.command == "prepare":
        prepare(args.out, args.course)
    elif args.command == "prometheus-config":
        sys.stdout.write(prometheus_config(args.scrape_interval, args.host_prefix))
    elif args.command == "check":
        from experiments import course_check  # imports this module

        return course_check.check(args.out, args.course, args.lossy, args.replay, args.repeat,
                                  Addresses(args.single_address))
    return 0


if __name__ == "__main__":
    sys.exit(main())
