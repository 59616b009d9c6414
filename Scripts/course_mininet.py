#!/usr/bin/python3
"""The course topology in Mininet: five instrumented peers, two clients, traces collected and replayed.

Run (as root, with Debian's Mininet 2.3: apt install mininet bridge-utils; no Open vSwitch, no controller):

  sudo /usr/bin/python3 Scripts/course_mininet.py --bin-dir .build/release

Options: --course DIR (default ../shared/fixtures/course), --out DIR (default runs/mininet-<time>),
--client-timeout S, --hello-retries N, --retries N, --trace-segment-seconds S, --prometheus (a real
/usr/bin/prometheus on h8 = 10.0.0.8, and node_exporter's textfile collector on 10.0.0.8:9100 reading the
clients' --metrics-file folder OUT/client-metrics), --traffic ROUNDS, --check-dashboards (runs
Scripts/dashboard_check.py on h8; no link is lossy here, so the loss panels may be empty or 0), --cli (Mininet
CLI before teardown), --hold SECONDS, --capture (tcpdump on s1 into OUT/capture.pcap: every datagram between the
hosts, UDP ports 5000-5999, replayed into OUT/capture-replay.{txt,json} by a p2ptrace that has `import`;
`tshark -r OUT/capture.pcap -X lua_script:Scripts/wireshark/p2pchunks.lua` reads it).

The network is one Linux bridge s1 (`LinuxBridge`, i.e. `mn --switch lxbr --controller none`) with h1..h7 on
10.0.0.1-7/24. Peer N runs on hN as `peer 10.0.0.N:500N OUT/data/pN/key-values-files_peerN <neighbours>
--trace-dir OUT/traces/hN --metrics 10.0.0.N:910N`. Then `client 10.0.0.4:5004 1,3,4,5,9` runs on h6 and
`client 10.0.0.1:5001 5,6,7` on h7 (outputs in OUT/clients/h6 and h7, traces in OUT/traces/h6 and h7); the
peers are stopped with SIGTERM, `p2ptrace replay OUT/traces` writes OUT/replay.{txt,json,dot,html}, OUT/
prometheus.yml scrapes the five peers, and Scripts/course.py check verifies logs, chunk files, the flood trees
and the replay. Exit status 0 = all good. The topology alone, for Mininet's own CLI:

  sudo mn --custom Scripts/course_mininet.py --topo course --switch lxbr --controller none
"""

import argparse
import glob
import os
import signal
import subprocess
import sys
import time

# `mn --custom` executes this file without __file__; it is then run from the package root.
SCRIPTS = os.path.dirname(os.path.abspath(globals().get("__file__", os.path.join("Scripts", "course_mininet.py"))))
ROOT = os.path.dirname(SCRIPTS)
sys.dont_write_bytecode = True  # keep Scripts/ free of __pycache__
sys.path.insert(0, SCRIPTS)
import course  # noqa: E402
from experiments import client_metrics  # noqa: E402
from experiments.mininet_place import remove_leftover_links, take_machine_lock  # noqa: E402
from experiments.mininet_place import warn_if_bridge_traffic_is_filtered  # noqa: E402
from experiments.places import PlaceError  # noqa: E402
from packet_capture import CaptureError, PacketCapture, port_filter, replay_capture  # noqa: E402

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, where `apt install mininet` puts the mininet module


def import_topo():
    """Mininet's Topo; under a Python without the mininet module (a pyenv or venv python3), re-runs this script with
    SYSTEM_PYTHON once, or exits saying how to run it."""
    try:
        from mininet.topo import Topo
        return Topo
    except ImportError:
        pass
    if __name__ == "__main__" and not os.environ.get("COURSE_MININET_REEXEC") and os.access(SYSTEM_PYTHON, os.X_OK):
        print(f"course_mininet: {sys.executable} has no mininet module; re-running with {SYSTEM_PYTHON}",
              file=sys.stderr, flush=True)
        os.environ["COURSE_MININET_REEXEC"] = "1"
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])
    sys.exit(f"course_mininet: no mininet module in {sys.executable}: install Debian's Mininet "
             f"(apt install mininet bridge-utils, or Scripts/install-deps.sh) and run "
             f"sudo {SYSTEM_PYTHON} Scripts/course_mininet.py")


Topo = import_topo()


class CourseTopo(Topo):
    """h1..h5 (peers), h6/h7 (clients) and optionally h8 (monitoring) on one switch."""

    def build(self, monitor=False):
        switch = self.addSwitch("s1")
        for n in range(1, 9 if monitor else 8):
            host = self.addHost(f"h{n}", ip=f"{course.NET}.{n}/24")
            self.addLink(host, switch)


topos = {"course": CourseTopo}


class ScenarioError(Exception):
    pass


def wait_listening(host, proto, port, process, name, out, attempts=150):
    for _ in range(attempts):
        if host.cmd(f"ss -Hln{proto} 'sport = :{port}'").strip():
            return
        if process is not None and process.poll() is not None:
            break
        time.sleep(0.1)
    log = os.path.join(out, "logs", f"{name}.log")
    tail = open(log, encoding="utf-8", errors="replace").read()[-2000:] if os.path.exists(log) else ""
    raise ScenarioError(f"{name} is not listening on {proto} port {port}\n{tail}")


def client_command(bin_dir, host, contact, chunks, folder, args, extra):
    out = os.path.dirname(os.path.dirname(folder))
    name = f"{os.path.basename(os.path.dirname(folder))}-{os.path.basename(folder)}.prom"
    metrics = os.path.join(out, "client-metrics", name)
    command = [os.path.join(bin_dir, "client")] + course.client_args(contact, chunks) + ["--output-dir", folder,
                                                                                       "--metrics-file", metrics]
    if args.hello_retries is not None:
        command += ["--hello-retries", str(args.hello_retries)]
    if args.retries is not None:
        command += ["--retries", str(args.retries)]
    if args.client_timeout is not None and "--timeout" not in extra:
        command += ["--timeout", str(args.client_timeout)]
    return command + extra


def run_client(host, command, folder, log_path):
    os.makedirs(folder, exist_ok=True)
    with open(log_path, "a", encoding="utf-8") as log:
        process = host.popen(command, cwd=folder, stdout=log, stderr=subprocess.STDOUT)
        try:
            return process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            return None
        finally:
            if process.poll() is None:  # timed out, or SIGTERM/Ctrl-C while waiting
                process.kill()
                process.wait()


def bad_datagrams(host):
    for n in course.NEIGHBOURS:
        target = f"/dev/udp/{course.peer_ip(n)}/{5000 + n}"
        host.cmd(f"printf '\\xff\\xff\\x00\\x01' >{target}; printf '\\x00\\x02\\x0a' >{target}; "
                 f"printf '\\x00\\x04\\x00\\x01\\x00\\x04' >{target}")


def scenario(net, args, out, summary):
    status = 0
    processes = {}
    try:
        for n in course.NEIGHBOURS:
            host = net.get(f"h{n}")
            log = open(os.path.join(out, "logs", f"p{n}.log"), "w", encoding="utf-8")
            command = [os.path.join(args.bin_dir, "peer")] + course.peer_args(n, out)
            if args.trace_segment_seconds:
                command += ["--trace-segment-seconds", str(args.trace_segment_seconds)]
            processes[f"p{n}"] = host.popen(command, stdout=log, stderr=subprocess.STDOUT)
        for n in course.NEIGHBOURS:
            wait_listening(net.get(f"h{n}"), "u", 5000 + n, processes[f"p{n}"], f"p{n}", out)
        summary("peers: 10.0.0.1-5:5001-5005 up")
        for n in course.NEIGHBOURS:
            try:
                wait_listening(net.get(f"h{n}"), "t", 9100 + n, processes[f"p{n}"], f"p{n}", out,
                               attempts=150 if args.prometheus else 30)
            except ScenarioError:
                if args.prometheus:
                    raise
                summary(f"warning: p{n} serves no /metrics on {course.metrics_address(n)}")

        with open(os.path.join(out, "prometheus.yml"), "w", encoding="utf-8") as f:
            f.write(course.prometheus_config("1s" if args.prometheus else "5s"))
        if args.prometheus:
            mon = net.get("h8")
            log = open(os.path.join(out, "logs", "prometheus.log"), "w", encoding="utf-8")
            processes["prometheus"] = mon.popen(
                ["prometheus", f"--config.file={out}/prometheus.yml", f"--storage.tsdb.path={out}/prometheus-data",
                 "--web.listen-address=127.0.0.1:9090"], stdout=log, stderr=subprocess.STDOUT)
            wait_listening(mon, "t", 9090, processes["prometheus"], "prometheus", out)
            log = open(os.path.join(out, "logs", "node-exporter.log"), "w", encoding="utf-8")
            processes["node-exporter"] = mon.popen(["prometheus-node-exporter"] + course.node_exporter_args(out),
                                                   stdout=log, stderr=subprocess.STDOUT)
            wait_listening(mon, "t", course.NODE_EXPORTER_PORT, processes["node-exporter"], "node-exporter", out)
            summary("prometheus: on h8 at 127.0.0.1:9090; node_exporter at 10.0.0.8:9100")

        client_metrics.mark(client_metrics.folder(out), "course-mininet", running=True)
        for host_name, contact, chunks, _ in course.CLIENT_RUNS:
            folder = os.path.join(out, "clients", host_name)
            command = client_command(args.bin_dir, host_name, contact, chunks, folder, args,
                                     ["--trace-dir", os.path.join(out, "traces", host_name)])
            code = run_client(net.get(host_name), command, folder, os.path.join(out, "logs", f"client-{host_name}.log"))
            if code != 0:
                summary(f"client on {host_name} exited with status {code}")
                status = 1

        for round_number in range(1, args.traffic + 1):
            for host_name, contact, chunks, _ in course.CLIENT_RUNS:
                folder = os.path.join(out, "traffic", f"{host_name}-{round_number}")
                command = client_command(args.bin_dir, host_name, contact, chunks, folder, args, ["--timeout", "1"])
                run_client(net.get(host_name), command, folder, os.path.join(out, "logs", "traffic.log"))
            bad_datagrams(net.get("h7"))
        if args.traffic:
            summary(f"traffic: {args.traffic} rounds of both clients and bad datagrams")

        if args.check_dashboards:
            time.sleep(3)
            dashboards = sorted(glob.glob(os.path.join(ROOT, "Dashboards", "*.json")))
            result = net.get("h8").popen(
                ["/usr/bin/python3", os.path.join(SCRIPTS, "dashboard_check.py"), "--prometheus",
                 "http://127.0.0.1:9090", "--targets", "6", "--rate-interval", "1m", "--require-nonzero",
                 # No link loses datagrams here: the loss panels and the client retries stay at 0.
                 "--allow-zero", "write_errors|events_dropped|queue_bytes|ttl_clamped|rate_limited|label_replace|"
                 "client_retries",
                 "--allow-empty", "Lossy links", "--results", os.path.join(out, "dashboard-results.json")]
                + dashboards,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            text = result.communicate(timeout=120)[0].decode("utf-8", "replace")
            with open(os.path.join(out, "dashboard-check.txt"), "w", encoding="utf-8") as f:
                f.write(text)
            print(text, end="")
            if result.returncode != 0:
                summary("dashboard check failed")
                status = 1

        client_metrics.mark(client_metrics.folder(out), "course-mininet", running=False)
        if args.cli:
            from mininet.cli import CLI
            CLI(net)
        elif args.hold:
            time.sleep(args.hold)

        for name in [f"p{n}" for n in course.NEIGHBOURS]:
            processes[name].send_signal(signal.SIGTERM)
        for name in [f"p{n}" for n in course.NEIGHBOURS]:
            try:
                processes[name].wait(timeout=10)
            except subprocess.TimeoutExpired:
                summary(f"peer {name} did not stop within 10 s of SIGTERM")
                status = 1
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()
    return status


def replay(args, out, summary):
    status = 0
    with open(os.path.join(out, "logs", "replay.log"), "w", encoding="utf-8") as log:
        for fmt, ext in (("text", "txt"), ("json", "json"), ("dot", "dot"), ("html", "html")):
            code = subprocess.call(
                [os.path.join(args.bin_dir, "p2ptrace"), "replay", os.path.join(out, "traces"), "--format", fmt,
                 "--output", os.path.join(out, f"replay.{ext}")], stdout=log, stderr=log)
            if code != 0:
                summary(f"p2ptrace replay --format {fmt} failed (status {code}, see logs/replay.log)")
                status = 1
        for command in ("stats", "check"):
            with open(os.path.join(out, f"trace-{command}.txt"), "w", encoding="utf-8") as f:
                code = subprocess.call([os.path.join(args.bin_dir, "p2ptrace"), command, os.path.join(out, "traces")],
                                       stdout=f, stderr=subprocess.STDOUT)
            if command == "check" and code != 0:
                summary("p2ptrace check found damaged or missing traces (trace-check.txt)")
                status = 1
    return status


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin-dir", default=os.environ.get("BIN_DIR", os.path.join(ROOT, ".build", "release")))
    parser.add_argument("--course", default=os.environ.get("COURSE_DIR",
                                                           os.path.join(ROOT, "..", "shared", "fixtures", "course")))
    parser.add_argument("--out", default=os.path.join(ROOT, "runs", time.strftime("mininet-%Y%m%d-%H%M%S",
                                                                                   time.gmtime())))
    parser.add_argument("--client-timeout", type=float)
    parser.add_argument("--hello-retries", type=int)
    parser.add_argument("--retries", type=int)
    parser.add_argument("--trace-segment-seconds", type=float)
    parser.add_argument("--prometheus", action="store_true")
    parser.add_argument("--traffic", type=int, default=0)
    parser.add_argument("--check-dashboards", action="store_true")
    parser.add_argument("--cli", action="store_true")
    parser.add_argument("--hold", type=float, default=0)
    parser.add_argument("--capture", action="store_true", help="tcpdump on s1 into OUT/capture.pcap")
    args = parser.parse_args()
    if args.check_dashboards:
        args.prometheus = True
        args.traffic = args.traffic or 12
        args.trace_segment_seconds = args.trace_segment_seconds or 5

    if os.geteuid() != 0:
        sys.exit("course_mininet: must run as root (Mininet creates network namespaces)")
    args.bin_dir = os.path.abspath(args.bin_dir)
    args.course = os.path.abspath(args.course)
    for exe in ("peer", "client", "p2ptrace"):
        if not os.access(os.path.join(args.bin_dir, exe), os.X_OK):
            sys.exit(f"course_mininet: {args.bin_dir}/{exe} not found: run 'swift build -c release' or pass --bin-dir")
    if not os.path.isdir(os.path.join(args.course, "Chunks")):
        sys.exit(f"course_mininet: course data not found in {args.course} (--course DIR)")
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    course.prepare(out, args.course)
    summary_file = open(os.path.join(out, "summary.txt"), "w", encoding="utf-8")

    def summary(line):
        print(line, flush=True)
        summary_file.write(line + "\n")
        summary_file.flush()

    def terminate(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)

    from mininet.log import setLogLevel
    from mininet.net import Mininet
    from mininet.nodelib import LinuxBridge

    setLogLevel(os.environ.get("MININET_LOG", "warning"))
    warn_if_bridge_traffic_is_filtered(summary)
    try:
        lock = take_machine_lock(summary)
    except PlaceError as error:
        sys.exit(f"course_mininet: {error}")
    remove_leftover_links(summary)
    net = Mininet(topo=CourseTopo(monitor=args.prometheus), switch=LinuxBridge, controller=None,
                  autoSetMacs=True, waitConnected=False)
    status = 1
    capture = PacketCapture(os.path.join(out, "capture.pcap"), "s1", port_filter(5000, 5999))
    try:
        net.start()
        if args.capture:
            capture.start()
        try:
            status = scenario(net, args, out, summary)
        finally:
            packets = capture.stop()
            if args.capture:
                summary(f"capture: {capture.summary(packets)}")
    except (ScenarioError, CaptureError) as error:
        summary(f"course_mininet: {error}")
    finally:
        try:
            net.stop()
        except Exception as error:  # a half-built network; `mn -c` would also touch other Mininet users' links
            summary(f"course_mininet: net.stop() failed ({error}); removing s1 and its links")
            remove_leftover_links(summary)
        lock.close()

    status = replay(args, out, summary) or status
    if args.capture:
        replayed, line = replay_capture(os.path.join(args.bin_dir, "p2ptrace"), capture.path, out)
        summary(f"capture: {line}")
        status = status or (0 if replayed else 1)
    checked = subprocess.run(["/usr/bin/python3", os.path.join(SCRIPTS, "course.py"), "check", out, "--course",
                              args.course, "--replay"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(checked.stdout, end="")
    with open(os.path.join(out, "check.txt"), "w", encoding="utf-8") as f:
        f.write(checked.stdout)
    status = status or (1 if checked.returncode != 0 else 0)
    summary(f"results: {out}")
    return status


if __name__ == "__main__":
    sys.exit(main())
