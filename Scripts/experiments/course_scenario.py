"""The course scenario on one of the experiment runner's places: loopback, network namespaces or Mininet.

The course topology (Topologies/course.json): peer N on 10.0.0.N:500N with traces in OUT/traces/hN and /metrics
on :910N (on loopback every node is on 127.0.0.1 with the same ports); the example clients `client p4 1,3,4,5,9`
on h6 and `client p1 5,6,7` on h7 (OUT/clients/h6 and h7, traces in OUT/traces/h6 and h7); p4's counters; the
peers stopped with SIGTERM; `p2ptrace replay` into OUT/replay.{txt,json,dot,html}, `stats` and `check`; and
Scripts/course.py's check of logs, chunk files, flood trees and replay. Options (course_options.py): loss on a
host's link or between two hosts, repeated h6 clients, traffic rounds, Prometheus with node_exporter on h8 and the
dashboard check, a capture of every datagram. Every line of OUT/summary.txt is also printed. Everything started
is stopped and every namespace made is deleted, on success, failure or Ctrl-C. Exit status 0 when all is good.
"""

import contextlib
import io
import os
import subprocess
import sys
import time

import course
from experiments import client_metrics, course_monitor, course_traffic
from experiments.course_check import check
from experiments.course_loss import CourseLoss
from experiments.mininet_place import Mininet
from experiments.places import Loopback, Netns, PlaceError
from packet_capture import CaptureError, replay_capture

LOOPBACK_ADDRESS = "127.0.0.1"
MONITOR = ("h8", f"{course.NET}.8")


class Scenario:
    """One run of the course scenario into args.out; run() returns its exit status."""

    def __init__(self, args):
        self.args, self.out = args, args.out
        self.graph = course.COURSE
        self.place = None
        self.status = 0
        self.summary = None
        self.loss = None
        self.at = course.Addresses(LOOPBACK_ADDRESS if args.where == "loopback" else None)

    def say(self, text):
        """A line of OUT/summary.txt, also printed."""
        print(f"== {text}", flush=True)
        self.summary.write(text + "\n")
        self.summary.flush()

    def fail(self, text):
        print(f"!! {text}", file=sys.stderr, flush=True)
        self.summary.write(text + "\n")
        self.summary.flush()
        self.status = 1

    def _file(self, name):
        return os.path.join(self.out, name)

    def run(self):
        os.makedirs(self.out, exist_ok=True)
        self.summary = open(self._file("summary.txt"), "w", encoding="utf-8")
        course.prepare(self.out, self.args.course)
        try:
            self._in_network()
        except (PlaceError, CaptureError, subprocess.TimeoutExpired) as error:
            self.fail(f"{self.args.name}: {error}")
            return self._end(1)
        except KeyboardInterrupt:
            self.fail(f"{self.args.name}: interrupted; stopping everything it started")
            return self._end(130)
        finally:
            if self.place:
                self.place.close()
        self._replay()
        self._check()
        return self._end(self.status)

    def _end(self, status):
        if status != 0:
            print(f"{self.args.name}: failed (status {status}); results in {self.out}", file=sys.stderr)
        self.say(f"results: {self.out}")
        self.summary.close()
        return status

    # ------------------------------------------------------------ the network and what runs in it

    def _hosts(self):
        """The hosts besides the peers: the clients, and the monitor host with --prometheus."""
        hosts = [(c["name"], c["address"]) for c in self.graph.clients]
        return hosts + ([MONITOR] if self.args.prometheus else [])

    def _build(self):
        args = self.args
        if args.where == "loopback":
            self.place = Loopback(args.bin_dir, self.out, single=LOOPBACK_ADDRESS)
            return
        if args.where == "netns":
            self.place = Netns(args.bin_dir, self.out, f"p2p{os.getpid()}")
        else:
            self.place = Mininet(args.bin_dir, self.out, self.say)
        self.place.build(self.graph, self._hosts())
        labels = {f"h{n}": (f"p{n}", course.peer_ip(n)) for n in course.NEIGHBOURS}
        labels.update({name: (name, address) for name, address in self._hosts()})
        self.loss = CourseLoss(self.place, labels, self.say)
        if args.loss_link:
            self.loss.on_link(*args.loss_link.split(","), args.loss_fraction)
        elif args.loss:
            self.loss.on_host(args.loss_host, args.loss_fraction, args.loss_method)

    def _in_network(self):
        self._build()
        capture = self.place.capture(self._file("capture.pcap"), self.graph) if self.args.capture else None
        if capture:
            capture.start()
        try:
            peers = self._start_peers()
            try:
                self._monitor()
                self._clients()
                self._after_clients()
            finally:
                self._stop_peers(peers)
        finally:
            if capture:
                self.say(f"capture: {capture.summary(capture.stop())}")

    def _endpoint(self, node, port):
        return f"{self.place.address(node).rsplit(':', 1)[0]}:{port}"

    def _start_peers(self):
        def argv_of(node):
            n = int(node.name.lstrip("p"))
            argv = [self.place.address(node), self._file(f"data/{node.name}/key-values-files_peer{n}")]
            argv += [self.place.address(self.graph.by_name[m]) for m in self.graph.neighbours[node.name]]
            argv += ["--trace-dir", self._file(f"traces/h{n}"), "--metrics", self._endpoint(node, node.metrics_port)]
            seconds = self.args.trace_segment_seconds
            return argv + (["--trace-segment-seconds", f"{seconds:g}"] if seconds else [])

        first, last = self.graph.nodes[0], self.graph.nodes[-1]
        peers = self.place.start_peers(self.graph, argv_of, self._file("logs"))
        ips = [self.place.address(node).split(":")[0] for node in (first, last)]
        ip = ips[0] if ips[0] == ips[1] else f"{ips[0]}-{ips[1].rsplit('.', 1)[1]}"
        self.say(f"peers: {ip}:{first.port}-{last.port} up (metrics on :{first.metrics_port}-{last.metrics_port})")
        return peers

    def _monitor(self):
        """Waits for every peer's /metrics; writes OUT/prometheus.yml; starts Prometheus with --prometheus."""
        for node in self.graph.nodes:
            host = node.name
            deadline = time.monotonic() + (15 if self.args.prometheus else 3)
            while not course_monitor.listening(self.place, host, "t", node.metrics_port):
                if time.monotonic() > deadline:
                    if self.args.prometheus:
                        raise PlaceError(f"{node.name} serves no /metrics on {self._endpoint(node, node.metrics_port)}")
                    self.say(f"warning: {node.name} serves no /metrics on {self._endpoint(node, node.metrics_port)}")
                    break
                time.sleep(0.1)
        if self.args.where != "loopback":
            with open(self._file("prometheus.yml"), "w", encoding="utf-8") as f:
                f.write(course.prometheus_config("1s" if self.args.prometheus else "5s"))
        if self.args.prometheus:
            course_monitor.start_prometheus(self.place, MONITOR[0], self.out)
            self.say(f"prometheus: on {MONITOR[0]} at 127.0.0.1:9090; node_exporter at {MONITOR[1]}:"
                     f"{course.NODE_EXPORTER_PORT}")
        client_metrics.mark(client_metrics.folder(self.out), f"course-{self.args.where}", running=True)

    def _client(self, spec, folder, log, extra=()):
        """Runs one client of the course's (`spec` from course.json) into OUT/<folder>; returns its exit status."""
        args = self.args
        contact = self.place.address(self.graph.by_name[spec["contact"]])
        argv = [contact, ",".join(str(c) for c in spec["chunks"]), "--output-dir", self._file(folder),
                "--metrics-file", self._file(f"client-metrics/{folder.replace('/', '-')}.prom")]
        for option, value in (("--hello-retries", args.hello_retries), ("--retries", args.retries),
                              ("--timeout", args.client_timeout)):
            if value is not None and option not in extra:
                argv += [option, f"{value:g}"]
        os.makedirs(self._file(folder), exist_ok=True)
        return self.place.run_client(argv + list(extra), self._file(f"logs/{log}.log"), host=spec["name"])

    def _clients(self):
        """The example clients (traced), then h6's again with --repeat."""
        first = self.graph.clients[0]
        for spec in self.graph.clients:
            started = time.monotonic()
            code = self._client(spec, f"clients/{spec['name']}", f"client-{spec['name']}",
                                ["--trace-dir", self._file(f"traces/{spec['name']}")])
            log = self._file(f"clients/{spec['name']}/output-{self.at.client_ip(spec['name'])}.log")
            contact = self.place.address(self.graph.by_name[spec["contact"]])
            self.say(f"client {contact} {','.join(map(str, spec['chunks']))} on {spec['name']} "
                     f"({(time.monotonic() - started) * 1000:.0f} ms): {log}")
            if os.path.isfile(log):
                with open(log, encoding="utf-8", errors="replace") as f:
                    print("".join(f"   {line}" for line in f), end="")
            if code != 0:
                self.fail(f"client on {spec['name']} exited with status {code}")
        for round_number in range(2, self.args.repeat + 1):
            name = f"{first['name']}-{round_number}"
            code = self._client(first, f"clients/{name}", f"client-{name}")
            if code != 0:
                self.fail(f"client on {first['name']} (round {round_number}) exited with status {code}")
        contact = self.graph.by_name[first["contact"]]
        url = f"http://{self._endpoint(contact, contact.metrics_port)}/metrics"
        self.say(f"contact peer {contact.name}'s message counters ({url})")
        print("".join(f"   {line}\n" for line in course_monitor.counters(self.place, first["name"], url)), end="")

    def _after_clients(self):
        """Traffic rounds, the loss counts, the dashboard check, --hold or --cli."""
        args = self.args
        endpoints = {node.name: self.place.address(node) for node in self.graph.nodes}
        for round_number in range(1, args.traffic + 1):
            for spec in self.graph.clients:
                name = f"{spec['name']}-{round_number}"
                self._client(spec, f"traffic/{name}", f"traffic-{name}", ["--timeout", "1"])
            course_traffic.send_round(self.place, self.graph.clients[-1]["name"], endpoints, round_number)
        if args.traffic:
            self.say(f"traffic: {args.traffic} rounds of both clients and bad datagrams")
        dropped = self.loss.dropped() if self.loss else None
        if dropped:
            self.say(dropped.rstrip("\n"))
        if args.check_dashboards:
            time.sleep(3)
            ok, report = course_monitor.check_dashboards(self.place, MONITOR[0], self.out, bool(args.loss))
            print(report, end="")
            if not ok:
                self.fail("dashboard check failed")
        client_metrics.mark(client_metrics.folder(self.out), f"course-{args.where}", running=False)
        if args.cli:
            from mininet.cli import CLI
            CLI(self.place.net)
        elif args.hold:
            tag = getattr(self.place, "tag", None)
            self.say(f"holding for {args.hold:g} s" + (f": namespaces {tag}-*" if tag else ""))
            time.sleep(args.hold)

    def _stop_peers(self, peers):
        self.place.stop_peers(peers, grace=10)
        for peer in peers:
            if peer.popen.returncode == -9:
                self.fail(f"peer {peer.name} did not stop within 10 s of SIGTERM")

    # ------------------------------------------------------------ results

    def _p2ptrace(self, *argv, output=None):
        """Runs p2ptrace; its output goes to `output` (a file name in OUT) or logs/replay.log."""
        with open(self._file(output or "logs/replay.log"), "w" if output else "a", encoding="utf-8") as f:
            return subprocess.call([os.path.join(self.args.bin_dir, "p2ptrace"), *argv], stdout=f,
                                   stderr=subprocess.STDOUT, timeout=600)

    def _replay(self):
        traces = self._file("traces")
        for fmt, ext in (("text", "txt"), ("json", "json"), ("dot", "dot"), ("html", "html")):
            code = self._p2ptrace("replay", traces, "--format", fmt, "--output", self._file(f"replay.{ext}"))
            if code != 0:
                self.fail(f"p2ptrace replay --format {fmt} failed (status {code}, see logs/replay.log)")
        self.say(f"replay of the traces in {traces}")
        if os.path.isfile(self._file("replay.txt")):
            with open(self._file("replay.txt"), encoding="utf-8", errors="replace") as f:
                print(f.read(), end="")
        self.say(f"replay written to {self.out}/replay.{{txt,json,dot,html}}")
        self._p2ptrace("stats", traces, output="trace-stats.txt")
        if self._p2ptrace("check", traces, output="trace-check.txt") != 0:
            self.fail("p2ptrace check found damaged or missing traces (trace-check.txt)")
        if self.args.capture and os.path.isfile(self._file("capture.pcap")):
            replayed, line = replay_capture(os.path.join(self.args.bin_dir, "p2ptrace"), self._file("capture.pcap"),
                                            self.out)
            (self.say if replayed else self.fail)(f"capture: {line}")

    def _check(self):
        text = io.StringIO()
        with contextlib.redirect_stdout(text):
            # Under loss a retried HELLO starts a flood of its own: only the chunks and logs are checked then.
            lossy = bool(self.args.loss)
            code = check(self.out, self.args.course, lossy=lossy, replay=not lossy, repeat=self.args.repeat,
                                at=self.at)
        print(text.getvalue(), end="")
        with open(self._file("check.txt"), "w", encoding="utf-8") as f:
            f.write(text.getvalue())
        if code != 0:
            self.status = 1
        elif self.status == 0:
            self.say("all chunks arrived byte-identical; chunk 4 is held by no peer, as in the course")
