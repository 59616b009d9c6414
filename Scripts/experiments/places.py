"""Where an experiment's peers run: loopback (no root) or one network namespace per peer (root).

A place starts peers and clients and undoes everything it did in `close()`: it kills only the processes it
started (by pid), deletes only the namespaces it made (which takes their links and firewall rules with them).
"""

import contextlib
import os
import shutil
import signal
import subprocess
import threading
import time

from experiments.shaping import Shaping
from packet_capture import PacketCapture, port_filter


class PlaceError(Exception):
    """A node could not be started, or the place cannot be set up; the message says which and why."""


@contextlib.contextmanager
def interrupts_deferred():
    """Holds back Ctrl-C (in the main thread) until the block ends: a process started in it is always recorded,
    so that clean-up finds it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received = []
    previous = signal.signal(signal.SIGINT, lambda *_: received.append(True))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            raise KeyboardInterrupt


class Peer:
    """One started peer process and its log files."""

    def __init__(self, name, endpoint, popen, out_path, err_path):
        self.name, self.endpoint, self.popen = name, endpoint, popen
        self.out_path, self.err_path = out_path, err_path

    def serving(self):
        try:
            with open(self.out_path, encoding="utf-8", errors="replace") as f:
                return "serving" in f.read()
        except OSError:
            return False

    def failure(self):
        """Why the peer is not running, or None while it runs."""
        if self.popen.poll() is None:
            return None
        try:
            with open(self.err_path, encoding="utf-8", errors="replace") as f:
                tail = f.read().strip().splitlines()[-3:]
        except OSError:
            tail = []
        return f"exited with status {self.popen.returncode}: {' / '.join(tail) or 'no message'}"


class Place:
    """The common part: starting processes, waiting for peers, stopping what was started."""

    name = "?"

    def __init__(self, bin_dir, out):
        self.bin_dir, self.out = bin_dir, out
        self.processes = []
        # close() and run_client() (in worker threads) take turns: no client starts once close() has begun.
        self.lock = threading.Lock()
        self.closed = False
        self.loss_method = "none"
        self.delay_method = "none"
        self.link_shaping = "none"

    def address(self, node):
        raise NotImplementedError

    def command(self, node_name, argv):
        return argv

    def start_peers(self, topology, argv_of, log_dir, timeout=60):
        """Starts one peer per node (argv_of(node) -> arguments after the binary) and waits until all serve."""
        os.makedirs(log_dir, exist_ok=True)
        peers = []
        for node in topology.nodes:
            out_path = os.path.join(log_dir, f"{node.name}.out")
            err_path = os.path.join(log_dir, f"{node.name}.err")
            argv = self.command(node.name, [os.path.join(self.bin_dir, "peer")] + argv_of(node))
            with open(out_path, "wb") as out, open(err_path, "wb") as err, interrupts_deferred():
                try:
                    popen = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
                except OSError as error:
                    raise PlaceError(f"cannot start peer {node.name}: {error.strerror}") from None
                self.processes.append(popen)
            peers.append(Peer(node.name, self.address(node), popen, out_path, err_path))
        deadline = time.monotonic() + timeout
        waiting = list(peers)
        while waiting:
            for peer in waiting:
                why = peer.failure()
                if why:
                    raise PlaceError(f"peer {peer.name} ({peer.endpoint}) did not start: {why}")
            waiting = [p for p in waiting if not p.serving()]
            if waiting and time.monotonic() > deadline:
                raise PlaceError(f"peer {waiting[0].name} ({waiting[0].endpoint}) not serving after {timeout} s "
                                 f"({len(waiting)} peer(s) waiting)")
            if waiting:
                time.sleep(0.05)
        return peers

    def run_client(self, argv, log_path, timeout=120, host="client"):
        """Runs a client on `host` to the end; returns its exit status (-9 when killed after `timeout` s)."""
        argv = self.command(host, [os.path.join(self.bin_dir, "client")] + argv)
        with open(log_path, "wb") as log:
            with self.lock:
                if self.closed:
                    raise PlaceError("stopping: no client starts after clean-up began")
                popen = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
                self.processes.append(popen)
            try:
                return popen.wait(timeout)
            except subprocess.TimeoutExpired:
                popen.kill()
                popen.wait()
                return -9
            finally:
                with self.lock:
                    if popen in self.processes:
                        self.processes.remove(popen)

    def start(self, host, argv, log_path):
        """Starts a helper process (Prometheus, node_exporter) on `host`; close() stops it."""
        with open(log_path, "wb") as log, interrupts_deferred():
            try:
                popen = subprocess.Popen(self.command(host, argv), stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)
            except OSError as error:
                raise PlaceError(f"cannot start {argv[0]} on {host}: {error.strerror}") from None
            self.processes.append(popen)
        return popen

    def stop_peers(self, peers, grace=10):
        """SIGTERM to every peer, SIGKILL after `grace` seconds; flushes their traces."""
        for peer in peers:
            if peer.popen.poll() is None:
                peer.popen.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for peer in peers:
            try:
                peer.popen.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                peer.popen.kill()
                peer.popen.wait()
            if peer.popen in self.processes:
                self.processes.remove(peer.popen)

    def close(self):
        """Kills every process still running that this place started; no client starts after."""
        with self.lock:
            self.closed = True
        for popen in list(self.processes):
            if popen.poll() is None:
                popen.kill()
        for popen in self.processes:
            try:
                popen.wait(5)
            except subprocess.TimeoutExpired:
                pass
        self.processes = []


class Loopback(Place):
    """Every peer on its own 127/8 address: 10.a.b.c becomes 127.(base+a).b.c, same port. Needs no root.
    With `single`, every node is on that one address instead (the topology's ports must then differ)."""

    name = "loopback"

    def __init__(self, bin_dir, out, base=50, single=None):
        super().__init__(bin_dir, out)
        self.base, self.single = base, single

    def ip(self, address):
        if self.single:
            return self.single
        a, b, c, d = (int(x) for x in address.split("."))
        return f"127.{(self.base + b) % 256}.{c}.{d}"

    def address(self, node):
        return f"{self.ip(node.address)}:{node.port}"

    def setup(self, graph, loss, delay):
        if loss or delay:
            raise PlaceError("--loss and --delay need --where netns or mininet (loopback is shared by the whole "
                             "machine)")
        shaped = [link for link in graph.links if link.loss is not None or link.delay is not None]
        if shaped:
            self.link_shaping = f"ignored on loopback: {len(shaped)} link(s) with their own loss or delay"

    def capture(self, path, topology):
        """A capture of lo, of the topology's ports on its 127.(base+a) networks only (lo is the machine's)."""
        nets = {f"{'.'.join(self.ip(n.address).split('.')[:2])}.0.0/16" for n in topology.nodes}
        ports = [n.port for n in topology.nodes]
        return PacketCapture(path, "lo", port_filter(min(ports), max(ports), nets))


class Netns(Shaping, Place):
    """One namespace per peer, each with a veth into a Linux bridge in a switch namespace; clients in their own.

    Addresses are the topology's (10.0.0.0/16). Loss: netem where the kernel has it, else an iptables statistic
    DROP on each namespace's INPUT (the receiver drops; a sender never sees an error). Delay: netem only. Links of
    the topology with their own loss or delay get it too (shaping.py).
    """

    name = "netns"
    CLIENT_ADDRESS = "10.0.254.1"

    def __init__(self, bin_dir, out, tag):
        super().__init__(bin_dir, out)
        if os.geteuid() != 0:
            raise PlaceError("--where netns needs root (ip netns add)")
        for tool in ("ip", "tc", "iptables"):
            if not shutil.which(tool):
                raise PlaceError(f"--where netns needs {tool} (Debian iproute2 iptables)")
        self.tag = tag
        self.namespaces = []
        self.hosts = {}
        self.switch_ports = {}

    def ns(self, host):
        return f"{self.tag}-{host}"

    def _ip(self, *args, check=True):
        result = subprocess.run(["ip", *args], capture_output=True, text=True)
        if check and result.returncode != 0:
            raise PlaceError(f"ip {' '.join(args)}: {result.stderr.strip()}")
        return result

    def _in(self, host, *args, check=True):
        return self._ip("netns", "exec", self.ns(host), *args, check=check)

    def _add_namespace(self, host):
        self._ip("netns", "add", self.ns(host))
        self.namespaces.append(self.ns(host))
        self._ip("-n", self.ns(host), "link", "set", "lo", "up")

    def build(self, topology, others=None):
        """A namespace per node and per other host (name, address; default the clients' one), on one bridge."""
        self._add_namespace("sw")
        self._ip("-n", self.ns("sw"), "link", "add", "br0", "type", "bridge")
        self._ip("-n", self.ns("sw"), "link", "set", "br0", "up")
        hosts = [(n.name, n.address) for n in topology.nodes] + (others or [("client", self.CLIENT_ADDRESS)])
        for index, (host, address) in enumerate(hosts):
            self._add_namespace(host)
            port = f"v{index}"
            self._ip("link", "add", port, "netns", self.ns("sw"), "type", "veth", "peer", "name", "eth0", "netns",
                     self.ns(host))
            self._ip("-n", self.ns("sw"), "link", "set", port, "master", "br0", "up")
            self.switch_ports[host] = port
            self._ip("-n", self.ns(host), "addr", "add", f"{address}/16", "dev", "eth0")
            self._ip("-n", self.ns(host), "link", "set", "eth0", "up")
            self.hosts[host] = address

    def setup(self, graph, loss, delay):
        """Loss (a fraction) and delay (ms) on every peer, and each topology link's own (see shaping.py)."""
        self.shape(graph, loss, delay, probe_host="client")

    def run_in(self, host, *argv, check=True):
        return self._in(host, *argv, check=check)

    def interface(self, host):
        return "eth0"

    def switch_side(self, host):
        """The command prefix and device of `host`'s port on the bridge (for shaping what it receives)."""
        return self.command("sw", []), self.switch_ports[host]

    def address(self, node):
        return f"{node.address}:{node.port}"

    def capture(self, path, topology):
        """A capture of the switch namespace's bridge: every datagram between the namespaces, once."""
        ports = [n.port for n in topology.nodes]
        return PacketCapture(path, "br0", port_filter(min(ports), max(ports)), prefix=self.command("sw", []))

    def command(self, node_name, argv):
        return ["ip", "netns", "exec", self.ns(node_name), *argv]

    def close(self):
        super().close()
        for ns in reversed(self.namespaces):
            pids = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True).stdout.split()
            for pid in pids:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (OSError, ValueError):
                    pass
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        self.namespaces = []

