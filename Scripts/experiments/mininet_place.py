"""The Mininet place: one Mininet host per peer and one for the clients, on one Linux bridge (root needed).

Debian's Mininet 2.3 without Open vSwitch or a controller: the switch is `LinuxBridge` (`mn --switch lxbr
--controller none`), hosts h1..hN carry the topology's addresses on /16 and hc the clients (10.0.254.1).
Processes run in a host's namespace with `mnexec -a <host pid>`, as `Host.popen` does. The bridge s1 and the
hN-eth0 names are machine-wide: one Mininet run at a time holds /run/lock/p2p-course-mininet.lock.
"""

import fcntl
import os
import shutil
import subprocess
import time

from experiments.places import Place, PlaceError
from experiments.shaping import Shaping
from packet_capture import PacketCapture, port_filter

LOCK = "/run/lock/p2p-course-mininet.lock"
CLIENT_HOST = "hc"
CLIENT_ADDRESS = "10.0.254.1"


def warn_if_bridge_traffic_is_filtered(say):
    """Mininet's Linux bridge lives in the root namespace: with br_netfilter on, its traffic crosses iptables
    FORWARD."""
    try:
        with open("/proc/sys/net/bridge/bridge-nf-call-iptables") as f:
            filtered = f.read().strip() == "1"
    except OSError:
        return
    rules = subprocess.run(["iptables", "-S", "FORWARD"], capture_output=True, text=True).stdout
    if filtered and "-P FORWARD ACCEPT" not in rules:
        say("warning: bridge-nf-call-iptables is 1 and the FORWARD policy is not ACCEPT (Docker sets DROP): "
            "hosts may not reach each other; `sysctl net.bridge.bridge-nf-call-iptables=0` or "
            "`iptables -I FORWARD -m physdev --physdev-is-bridged -j ACCEPT` lets bridged traffic through")


def take_machine_lock(say, seconds=180):
    """Waits (up to `seconds`) until no other Mininet run of this project holds the machine; returns the lock."""
    lock = open(LOCK, "w")
    deadline = time.monotonic() + seconds
    waited = False
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return lock
        except BlockingIOError:
            if time.monotonic() > deadline:
                lock.close()
                raise PlaceError(f"another Mininet run still holds {LOCK} after {seconds} s")
            if not waited:
                say("waiting for another Mininet run to finish")
                waited = True
            time.sleep(0.5)


def remove_leftover_links(say):
    """Deletes s1 and s1-ethN left in the root namespace by a Mininet run that was killed (kill -9)."""
    listing = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True).stdout
    for line in listing.splitlines():
        name = line.split(":")[1].strip().split("@")[0] if line.count(":") >= 2 else ""
        if name == "s1" or (name.startswith("s1-eth") and name[6:].isdigit()):
            say(f"removing {name}, left over from an earlier run")
            subprocess.call(["ip", "link", "del", name])


class Mininet(Shaping, Place):
    """Peers on Mininet hosts h1..hN (topology addresses), clients on hc, all on the Linux bridge s1."""

    name = "mininet"

    def __init__(self, bin_dir, out, say):
        super().__init__(bin_dir, out)
        if os.geteuid() != 0:
            raise PlaceError("--where mininet needs root (Mininet creates network namespaces)")
        for tool in ("mnexec", "brctl", "iptables", "tc"):
            if not shutil.which(tool):
                raise PlaceError(f"--where mininet needs {tool} (Debian mininet bridge-utils iptables iproute2)")
        try:
            from mininet.log import setLogLevel
        except ImportError:
            raise PlaceError("--where mininet needs the mininet module: run with /usr/bin/python3 (Debian's "
                             "mininet package)") from None
        setLogLevel(os.environ.get("MININET_LOG", "warning"))
        self.say = say
        self.net = None
        self.machine_lock = None
        self.host_of = {}

    def build(self, graph, others=None):
        """Hosts h1..hN for the nodes and one per other host (name, address; default hc for the clients)."""
        from mininet.net import Mininet as Network
        from mininet.nodelib import LinuxBridge
        from mininet.topo import Topo

        warn_if_bridge_traffic_is_filtered(self.say)
        self.machine_lock = take_machine_lock(self.say)
        remove_leftover_links(self.say)
        topo = Topo()
        switch = topo.addSwitch("s1")
        for index, node in enumerate(graph.nodes, start=1):
            self.host_of[node.name] = f"h{index}"
            topo.addLink(topo.addHost(f"h{index}", ip=f"{node.address}/16"), switch)
        for name, address in others or [("client", CLIENT_ADDRESS)]:
            self.host_of[name] = CLIENT_HOST if name == "client" else name
            topo.addLink(topo.addHost(self.host_of[name], ip=f"{address}/16"), switch)
        self.net = Network(topo=topo, switch=LinuxBridge, controller=None, autoSetMacs=True, waitConnected=False)
        try:
            self.net.start()
        except Exception as error:  # Mininet raises bare Exceptions for failed links and hosts
            raise PlaceError(f"Mininet could not start the network: {error}") from None

    def setup(self, graph, loss, delay):
        self.shape(graph, loss, delay, probe_host="client")

    def address(self, node):
        return f"{node.address}:{node.port}"

    def capture(self, path, topology):
        """A capture of the bridge s1 (in the root namespace): every datagram between the hosts, once."""
        ports = [n.port for n in topology.nodes]
        return PacketCapture(path, "s1", port_filter(min(ports), max(ports)))

    def command(self, node_name, argv):
        return ["mnexec", "-a", str(self.net.get(self.host_of[node_name]).pid), *argv]

    def run_in(self, host, *argv, check=True):
        result = subprocess.run(self.command(host, list(argv)), capture_output=True, text=True)
        if check and result.returncode != 0:
            raise PlaceError(f"{' '.join(argv)} on {self.host_of[host]}: {result.stderr.strip()}")
        return result

    def interface(self, host):
        return f"{self.host_of[host]}-eth0"

    def switch_side(self, host):
        """The command prefix (none: s1 is in the root namespace) and device of `host`'s port on s1."""
        link = self.net.get(self.host_of[host]).defaultIntf().link
        return [], (link.intf2 if link.intf1.node.name == self.host_of[host] else link.intf1).name

    def close(self):
        super().close()
        if self.net:
            try:
                self.net.stop()
            except Exception as error:  # a half-built network; `mn -c` would touch other Mininet users' links
                self.say(f"net.stop() failed ({error}); removing s1 and its links")
                remove_leftover_links(self.say)
            self.net = None
        if self.machine_lock:
            self.machine_lock.close()
            self.machine_lock = None
