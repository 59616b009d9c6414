"""Loss in the course scenario (course_netns.sh --loss): on one host's link, both ways, or between two hosts.

On a host's link: netem on the host's interface and on its port of the switch where the kernel has sch_netem,
else iptables `statistic --mode random` DROP rules where datagrams arrive (the host's INPUT, and every other host's
INPUT for datagrams from it): a DROP in OUTPUT would make the sender's sendmsg fail, which a lossy link never does.
Between two hosts: iptables rules in both. Each DROP rule follows a rule that only counts, so that `dropped()`
says how many datagrams of how many were dropped.
"""

import subprocess

from experiments.places import PlaceError


def _counts(listing):
    """(dropped, seen) from `iptables -nvxL INPUT`: DROP rules' packets, and the counting rules' packets."""
    dropped = seen = 0
    for line in listing.splitlines():
        fields = line.split()
        if len(fields) < 3 or not fields[0].isdigit():
            continue
        if fields[2] == "DROP":
            dropped += int(fields[0])
        else:
            seen += int(fields[0])
    return dropped, seen


class CourseLoss:
    """Loss set up on a place whose hosts have namespaces (netns, mininet); `hosts` maps label -> (host, ip)."""

    def __init__(self, place, hosts, say):
        self.place, self.hosts, self.say = place, hosts, say
        self.method = None
        self.where = None

    def _drop(self, host, fraction, source=None):
        match = ["-s", source] if source else []
        rule = ["iptables", "-A", "INPUT", "-i", self.place.interface(host), *match, "-p", "udp"]
        self.place.run_in(host, *rule)
        self.place.run_in(host, *rule, "-m", "statistic", "--mode", "random", "--probability", f"{fraction:.4f}",
                          "-j", "DROP")

    def on_host(self, label, fraction, method):
        """`fraction` of the datagrams to and from host `label` (h1..h7) lost; method auto, netem or iptables."""
        host, address = self.hosts[label]
        if method == "auto":
            method = "netem" if self.place.has_netem(host) else "iptables"
        percent = f"{fraction * 100:g}%"
        if method == "netem":
            self.place.run_in(host, "tc", "qdisc", "add", "dev", self.place.interface(host), "root", "netem", "loss",
                              percent)
            prefix, device = self.place.switch_side(host)
            result = subprocess.run(prefix + ["tc", "qdisc", "add", "dev", device, "root", "netem", "loss", percent],
                                    capture_output=True, text=True)
            if result.returncode != 0:
                raise PlaceError(f"netem on the switch port of {label}: {result.stderr.strip()}")
        else:
            self._drop(host, fraction)
            for other, (other_host, _) in self.hosts.items():
                if other != label:
                    self._drop(other_host, fraction, address)
        self.method, self.where = method, label
        self.say(f"loss: {percent} both ways on {label}'s link ({method})")

    def on_link(self, a, b, fraction):
        """`fraction` of the datagrams between hosts `a` and `b` lost, both ways (iptables)."""
        self._drop(self.hosts[a][0], fraction, self.hosts[b][1])
        self._drop(self.hosts[b][0], fraction, self.hosts[a][1])
        self.method, self.where = "link", (a, b)
        self.say(f"loss: {fraction * 100:g}% both ways on the {a}-{b} link (iptables)")

    def _listing(self, label):
        return self.place.run_in(self.hosts[label][0], "iptables", "-nvxL", "INPUT").stdout

    def dropped(self):
        """The summary line(s) of what the loss did so far, or None without loss."""
        if self.method == "link":
            counts = [_counts(self._listing(label)) for label in self.where]
            return (f"loss: dropped {sum(d for d, _ in counts)} of {sum(n for _, n in counts)} UDP datagrams on the "
                    f"{'-'.join(self.where)} link")
        if self.method == "iptables":
            to = _counts(self._listing(self.where))
            others = [_counts(self._listing(label)) for label in self.hosts if label != self.where]
            return (f"loss: dropped {to[0]} of {to[1]} UDP datagrams to {self.where}, "
                    f"{sum(d for d, _ in others)} of {sum(n for _, n in others)} from {self.where}")
        if self.method == "netem":
            host = self.hosts[self.where][0]
            return self.place.run_in(host, "tc", "-s", "qdisc", "show", "dev", self.place.interface(host)).stdout
        return None
