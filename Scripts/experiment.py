#!/usr/bin/python3
"""Flooding experiments on any topology, measured against the walk-tree expectation and plotted.

  Scripts/experiment.py --topology ring:12 --ttl 1,2,3,4 --floods 10 --out runs/ring12
  Scripts/experiment.py --topology Topologies/course.json --where netns --loss 5% --floods 20   (root)
  Scripts/experiment.py --topology regular:100,4 --where mininet --floods 20                   (root, Mininet)

For every TTL (and every --repeat) it starts one peer per node with `--query-ttl TTL` (and `--max-ttl` where the
peer has it), runs --floods clients at random contact peers asking random chunks, or the --client ones at chosen
contact peers (the same plan for every TTL),
stops the peers and reads their traces with `p2ptrace stats --floods`. Loss and delay (--loss, --delay and
the topology's per-link fields) apply in netns and mininet: netem where the kernel has it, else iptables.
OUT gets floods.csv/json (one row per flood, measured beside expected), summary.json/txt, plots (PNG and SVG)
and index.html linking them and each flood's replay page. A progress line is printed per step. With --capture
(root, Debian tcpdump) each step's datagrams are also kept in steps/<step>/capture.pcap (tcpdump on lo, or on
the namespaces' bridge), beside its traces, and replayed into steps/<step>/capture-replay.{txt,json} when
p2ptrace has `import`. Everything started is stopped and every namespace made is deleted, on success, failure
or Ctrl-C. Exit status: 0 when every flood matched its expectation and no datagram was lost
(or --loss was given), 1 otherwise, 2 on bad input.
Every client writes its final metrics into OUT/client-metrics, beside experiment.prom (p2p_experiment_running: 1
during the run, 0 after, the dashboards' annotation); --node-exporter ip:port serves that folder to Prometheus
through node_exporter's textfile collector while the run goes on.
"""

import argparse
import concurrent.futures
import datetime
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import topology  # noqa: E402
from experiments import client_metrics, measure, report, resources  # noqa: E402
from experiments.mininet_place import Mininet  # noqa: E402
from experiments.places import Loopback, Netns, PlaceError  # noqa: E402
from packet_capture import CaptureError, replay_capture  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# Peers of the size benchmark (--size) per place.
SIZES = {"loopback": 1000, "netns": 200, "mininet": 100}


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--topology", default="Topologies/course.json",
                        help="a topology file or a generator: line:N ring:N star:N grid:RxC tree:N complete:N "
                             "regular:N,D er:N,P ba:N,M course (see Topologies/README.md)")
    parser.add_argument("--placement", default="random:10,2",
                        help="chunks of generated topologies: course, random:K,R or one:K (default random:10,2)")
    parser.add_argument("--where", choices=["loopback", "netns", "mininet"], default="loopback")
    parser.add_argument("--floods", type=int, default=10, help="clients per step (default 10)")
    parser.add_argument("--client", action="append", default=[], metavar="CONTACT:CHUNKS",
                        help="a flood of a client at a chosen contact asking chosen chunks, e.g. p4:1,3,4,5,9 "
                             "(repeatable; `topology` takes the topology file's clients); replaces the random ones")
    parser.add_argument("--ttl", default="3", help="comma-separated TTLs, e.g. 1,2,3,4 (default 3)")
    parser.add_argument("--loss", default="", help="datagram loss on every peer's link, e.g. 5%% (netns, mininet)")
    parser.add_argument("--delay", default="", help="one-way delay on every peer's link, e.g. 2ms (netns, mininet)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per TTL (default 1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", help="run folder (default runs/exp-<UTC time>)")
    parser.add_argument("--bin-dir", help="folder with peer, client, p2ptrace (default: swift build --show-bin-path)")
    parser.add_argument("--course", default=os.path.join(ROOT, "..", "shared", "fixtures", "course"),
                        help="course data, for topologies whose chunks are the course's")
    parser.add_argument("--chunks-per-flood", type=int, default=3, help="chunks each client asks (default 3)")
    parser.add_argument("--client-timeout", type=float, default=0.5, help="client --timeout in seconds")
    parser.add_argument("--parallel", type=int, default=4, help="clients running at once (default 4)")
    parser.add_argument("--loopback-base", type=int, default=50,
                        help="loopback: node 10.a.b.c runs on 127.(BASE+a).b.c (default 50)")
    parser.add_argument("--no-replay", action="store_true", help="skip the per-flood replay pages")
    parser.add_argument("--node-exporter", metavar="IP:PORT",
                        help="run node_exporter's textfile collector on OUT/client-metrics at this address")
    parser.add_argument("--capture", action="store_true",
                        help="tcpdump each step's datagrams (lo, or the netns bridge) into steps/*/capture.pcap "
                             "(root; read it with tshark -X lua_script:Scripts/wireshark/p2pchunks.lua)")
    parser.add_argument("--size", choices=sorted(SIZES),
                        help="the size benchmark of a place: a random 4-regular graph of 1,000 peers on loopback, "
                             "200 in namespaces or 100 Mininet hosts, 100 floods at TTL 3, no replay pages; prints "
                             "PSS per peer and CPU per flood (sets --topology, --where, --floods, --ttl)")
    parser.add_argument("--peers", type=int, help="with --size: this many peers instead")
    args = parser.parse_args(argv)
    if args.size:
        args.topology = f"regular:{args.peers or SIZES[args.size]},4"
        args.where, args.floods, args.ttl, args.no_replay = args.size, 100, "3", True
    try:
        args.ttls = [int(t) for t in args.ttl.split(",") if t.strip()]
        args.loss_fraction = topology.parse_percent(args.loss) if args.loss else 0.0
        args.delay_ms = topology.parse_milliseconds(args.delay) if args.delay else 0.0
    except ValueError as error:
        parser.error(str(error))
    if not args.ttls or min(args.ttls) < 1:
        parser.error("--ttl takes TTLs of at least 1, e.g. 1,2,3")
    if args.floods < 1 or args.repeat < 1 or args.parallel < 1:
        parser.error("--floods, --repeat and --parallel must be at least 1")
    return args


def progress(text):
    print(f"{datetime.datetime.now(datetime.timezone.utc):%H:%M:%S} {text}", flush=True)


def raise_limits():
    """Open files and processes up to the hard limits: 1,000 peers hold thousands of descriptors."""
    for limit in (resource.RLIMIT_NOFILE, resource.RLIMIT_NPROC):
        soft, hard = resource.getrlimit(limit)
        if hard == resource.RLIM_INFINITY or soft < hard:
            try:
                resource.setrlimit(limit, (hard, hard))
            except (ValueError, OSError):
                pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def bin_directory(args):
    if args.bin_dir:
        folder = args.bin_dir
    else:
        result = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True)
        folder = result.stdout.strip()
    for product in ("peer", "client", "p2ptrace"):
        if not os.access(os.path.join(folder, product), os.X_OK):
            raise PlaceError(f"no {product} in {folder or '(none)'}: run `swift build` or pass --bin-dir")
    return folder


def prepare_data(graph, out, course_dir):
    """Key-values files per node in OUT/data/kv and the folder holding the chunk files (made when needed)."""
    kv_dir = os.path.join(out, "data", "kv")
    os.makedirs(kv_dir, exist_ok=True)
    for node in graph.nodes:
        with open(os.path.join(kv_dir, node.name), "w", encoding="utf-8") as f:
            f.write(graph.key_values(node.name))
    course_chunks = os.path.join(course_dir, "Chunks")
    if all(os.path.isfile(os.path.join(course_chunks, graph.chunk_name(c))) for c in graph.chunk_ids()):
        return kv_dir, os.path.abspath(course_chunks)
    chunks = os.path.join(out, "data", "chunks")
    os.makedirs(chunks, exist_ok=True)
    for c in graph.chunk_ids():
        with open(os.path.join(chunks, graph.chunk_name(c)), "wb") as f:
            f.write(bytes((c + i) % 256 for i in range(graph.chunk_bytes)))
    return kv_dir, chunks


def chosen_clients(graph, specs):
    """(contact name, asked chunk ids) for each --client CONTACT:CHUNKS (or the topology's clients for
    `topology`); raises TopologyError naming what is wrong."""
    plan = []
    for spec in specs:
        if spec == "topology":
            plan += [(c["contact"], sorted(c["chunks"])) for c in graph.clients]
            continue
        contact, _, chunks = spec.partition(":")
        if contact not in graph.by_name:
            raise topology.TopologyError(f"--client {spec}: the topology has no node '{contact}'")
        try:
            plan.append((contact, sorted(int(c) for c in chunks.split(","))))
        except ValueError:
            raise topology.TopologyError(f"--client {spec}: expected CONTACT:ID,ID,... e.g. p4:1,3,4") from None
    return plan


def flood_plan(graph, args):
    """(contact name, asked chunk ids) per flood: the --client ones, else drawn once from --seed so every TTL runs
    the same floods."""
    if args.client:
        return chosen_clients(graph, args.client)
    rng = random.Random(args.seed)
    ids = graph.chunk_ids() or [1]
    plan = []
    for _ in range(args.floods):
        contact = rng.choice(graph.nodes).name
        plan.append((contact, sorted(rng.sample(ids, min(args.chunks_per_flood, len(ids))))))
    return plan


def peer_has_option(bin_dir, option):
    result = subprocess.run([os.path.join(bin_dir, "peer"), "--help"], capture_output=True, text=True)
    return option in result.stdout


def run_step(place, graph, args, step_dir, ttl, plan, kv_dir, chunks_dir, max_ttl):
    """Starts the peers, runs the plan's clients, stops the peers; returns what --capture captured (or None) and
    what the peers used (resources.usage)."""
    traces = os.path.join(step_dir, "traces")
    os.makedirs(traces, exist_ok=True)
    capture = place.capture(os.path.join(step_dir, "capture.pcap"), graph) if args.capture else None
    if capture:
        capture.start()
    try:
        used = run_floods(place, graph, args, step_dir, ttl, plan, kv_dir, chunks_dir, max_ttl)
    finally:
        packets = capture.stop() if capture else None
    run_folder = os.path.dirname(os.path.dirname(step_dir))  # step_dir is OUT/steps/<step>
    return (capture.summary(packets, os.path.relpath(capture.path, run_folder)) if capture else None), used


def run_floods(place, graph, args, step_dir, ttl, plan, kv_dir, chunks_dir, max_ttl):
    traces = os.path.join(step_dir, "traces")

    def argv_of(node):
        argv = [place.address(node), os.path.join(kv_dir, node.name)]
        argv += [place.address(graph.by_name[m]) for m in graph.neighbours[node.name]]
        argv += ["--query-ttl", str(ttl), "--chunks-dir", chunks_dir, "--trace-dir", traces]
        return argv + (["--max-ttl", str(max_ttl)] if max_ttl else [])

    # A loaded 2-core machine starts about 10 debug peers a second.
    peers = place.start_peers(graph, argv_of, os.path.join(step_dir, "logs"), timeout=60 + len(graph.nodes) // 5)
    cpu_before = resources.cpu_of(peers)
    try:
        def one(index):
            contact, asked = plan[index]
            folder = os.path.join(step_dir, "clients", f"flood{index + 1}")
            argv = [place.address(graph.by_name[contact]), ",".join(str(c) for c in asked), "--output-dir", folder,
                    "--trace-dir", traces, "--timeout", str(args.client_timeout), "--metrics-file",
                    os.path.join(args.metrics_dir, f"{os.path.basename(step_dir)}-flood{index + 1}.prom")]
            os.makedirs(folder, exist_ok=True)
            return place.run_client(argv, os.path.join(folder, "client.log"))

        pool = concurrent.futures.ThreadPoolExecutor(args.parallel)
        try:
            list(pool.map(one, range(len(plan))))
            return resources.usage(peers, cpu_before, len(plan))
        finally:
            # On Ctrl-C no new client starts; the running ones are killed by place.close().
            pool.shutdown(wait=False, cancel_futures=True)
    finally:
        place.stop_peers(peers)


def replay_pages(bin_dir, step_dir, rows, out):
    """One `p2ptrace replay --format html` page per flood; returns (ttl, repeat, flood) -> relative path."""
    p2ptrace = os.path.join(bin_dir, "p2ptrace")
    pages = {}
    os.makedirs(os.path.join(step_dir, "replay"), exist_ok=True)
    for row in rows:
        page = os.path.join(step_dir, "replay", f"flood{row['flood']}.html")
        result = subprocess.run([p2ptrace, "replay", os.path.join(step_dir, "traces"), "--format", "html",
                                 "--client", row["client"], "--output", page, *measure.SAME_CLOCK],
                                capture_output=True, timeout=120)
        if result.returncode == 0:
            pages[(row["ttl"], row["repeat"], row["flood"])] = os.path.relpath(page, out)
    return pages


def make_place(args, graph, bin_dir, out):
    """The place --where names, built for the graph and with its loss and delay set up."""
    if args.where == "netns":
        place = Netns(bin_dir, out, f"x{os.getpid() % 100000}")
        progress(f"building {len(graph.nodes)} namespaces")
        place.build(graph)
    elif args.where == "mininet":
        place = Mininet(bin_dir, out, progress)
        progress(f"building a Mininet network of {len(graph.nodes)} hosts and a client host")
        place.build(graph)
    else:
        place = Loopback(bin_dir, out, args.loopback_base)
    place.setup(graph, args.loss_fraction, args.delay_ms)
    return place


class Results:
    """What the steps measured: flood rows, per-step trace stats, replay pages, captures and resource use."""

    def __init__(self):
        self.rows, self.step_stats, self.pages, self.captures, self.usage = [], [], {}, [], []


def measure_step(results, bin_dir, graph, place, args, step, captured):
    """Reads one step's traces (and capture) into `results`; returns the step's flood rows."""
    number, total, ttl, repeat, step_dir = step
    if captured:
        results.captures.append(captured)
        progress(f"[{number}/{total}] capture: {captured}")
        replayed, line = replay_capture(os.path.join(bin_dir, "p2ptrace"), os.path.join(step_dir, "capture.pcap"),
                                        step_dir)
        progress(f"[{number}/{total}] {'capture' if replayed else 'warning'}: {line}")
    traces = os.path.join(step_dir, "traces")
    flood_stats = measure.p2ptrace_stats(bin_dir, traces, floods=True)
    for warning in flood_stats.get("warnings", []):
        progress(f"warning: {warning}")
    step_rows = measure.floods(flood_stats, graph, place.address, ttl, repeat)
    results.rows += step_rows
    results.step_stats.append(measure.p2ptrace_stats(bin_dir, traces, floods=False))
    if not args.no_replay:
        results.pages.update(replay_pages(bin_dir, step_dir, step_rows, os.path.dirname(os.path.dirname(step_dir))))
    return step_rows


def run_steps(place, graph, args, bin_dir, out, plan, data):
    """Every (TTL, repeat) step: peers started, the plan's floods, peers stopped, traces measured."""
    kv_dir, chunks_dir, max_ttl = data
    results = Results()
    steps = [(t, r) for t in args.ttls for r in range(1, args.repeat + 1)]
    for number, (ttl, repeat) in enumerate(steps, start=1):
        step_dir = os.path.join(out, "steps", f"ttl{ttl}-r{repeat}")
        started = time.monotonic()
        progress(f"[{number}/{len(steps)}] ttl {ttl} repeat {repeat}: {len(graph.nodes)} peers, "
                 f"{len(plan)} floods on {place.name}")
        captured, used = run_step(place, graph, args, step_dir, ttl, plan, kv_dir, chunks_dir, max_ttl)
        results.usage.append(dict(used, ttl=ttl, repeat=repeat))
        progress(f"[{number}/{len(steps)}] {resources.text(used)}")
        step_rows = measure_step(results, bin_dir, graph, place, args, (number, len(steps), ttl, repeat, step_dir),
                                 captured)
        matched = sum(1 for r in step_rows if r.get("matches_expected"))
        progress(f"[{number}/{len(steps)}] ttl {ttl} repeat {repeat}: {len(step_rows)} floods traced, "
                 f"{matched} as expected, {sum(r['queries'] for r in step_rows)} queries, "
                 f"{sum(r['lost'] for r in step_rows)} lost ({time.monotonic() - started:.1f} s)")
    return results, len(steps)


def write_results(out, args, graph, place, plan, results, steps):
    """Tables, summary, plots and index.html into OUT; returns the exit status (0: every flood as expected)."""
    rows = results.rows
    settings = {"name": os.path.basename(out), "topology": args.topology, "nodes": len(graph.nodes),
                "where": place.name, "floods": len(plan), "repeat": args.repeat, "ttls": args.ttls,
                "seed": args.seed, "loss": args.loss or "0%", "delay": args.delay or "0ms",
                "loss_method": place.loss_method, "delay_method": place.delay_method,
                "link_shaping": place.link_shaping, "namespace_prefix": getattr(place, "tag", None),
                "captures": results.captures, "resources": results.usage}
    result = report.summary(rows, settings)
    report.write_tables(out, rows)
    with open(os.path.join(out, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
    with open(os.path.join(out, "summary.txt"), "w", encoding="utf-8") as f:
        f.write(report.summary_text(result))
    progress("plotting")
    plots = report.plot(out, rows, measure.per_node_load(results.step_stats, place.address, graph))
    report.index_html(out, rows, result, plots, results.pages)
    sys.stdout.write(report.summary_text(result))
    progress(f"results: {os.path.join(out, 'index.html')}")
    all_matched = all(r.get("matches_expected") for r in rows) and len(rows) == len(plan) * steps
    lost = sum(r["lost"] for r in rows)
    matched = sum(bool(r.get("matches_expected")) for r in rows)
    progress(f"{len(rows)}/{len(plan) * steps} floods traced, {matched} as expected, {lost} datagrams lost")
    return 0 if (all_matched and lost == 0) or args.loss_fraction else 1


def main(argv=None):
    args = parse_arguments(argv)
    out = os.path.abspath(args.out or os.path.join(ROOT, "runs", f"exp-{datetime.datetime.utcnow():%Y%m%dT%H%M%SZ}"))
    os.makedirs(out, exist_ok=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    place = None
    exporter = None
    args.metrics_dir = client_metrics.folder(out)
    try:
        graph = topology.resolve(args.topology, args.seed, args.placement, out)
        if graph.path != os.path.join(out, "topology.json"):
            shutil.copyfile(graph.path, os.path.join(out, "topology.json"))
        bin_dir = bin_directory(args)
        files = raise_limits()
        if files < 4 * len(graph.nodes) + 64:
            progress(f"warning: only {files} open files allowed for {len(graph.nodes)} peers")
        kv_dir, chunks_dir = prepare_data(graph, out, args.course)
        plan = flood_plan(graph, args)
        place = make_place(args, graph, bin_dir, out)
        max_ttl = max(args.ttls + [3]) if peer_has_option(bin_dir, "--max-ttl") else None
        if args.node_exporter:
            exporter = client_metrics.start_node_exporter(
                args.metrics_dir, args.node_exporter, os.path.join(out, "node-exporter.log"))
        client_metrics.mark(args.metrics_dir, os.path.basename(out), running=True)
        results, steps = run_steps(place, graph, args, bin_dir, out, plan, (kv_dir, chunks_dir, max_ttl))
        client_metrics.mark(args.metrics_dir, os.path.basename(out), running=False)
        return write_results(out, args, graph, place, plan, results, steps)
    except (topology.TopologyError, PlaceError, measure.MeasureError, CaptureError, RuntimeError) as error:
        print(f"experiment: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("experiment: interrupted; stopping everything it started", file=sys.stderr)
        return 130
    finally:
        if place:
            place.close()
        if exporter:
            exporter.terminate()
            exporter.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
