"""Datagram loss and delay inside the hosts' namespaces: on every peer (--loss, --delay) and per topology link.

Used by the places whose peers have a namespace each (netns, mininet). With sch_netem in the kernel, a peer's
egress gets netem: one qdisc for everything, or (when some of its links carry their own loss or delay) an htb root
whose default class holds the global netem and one class per shaped link, chosen by destination address. Without
sch_netem, loss becomes iptables `statistic --mode random` DROP rules on the receiver's INPUT (per link: matching
the sender's address); delay cannot be applied and the summary says so.
"""

import topology

NO_NETEM = "no sch_netem in this kernel"


class Shaping:
    """Mixin: the place provides `run_in(host, *argv, check=True)`, `interface(host)` and `peer_address(host)`."""

    loss_method = "none"
    delay_method = "none"
    link_shaping = "none"

    def has_netem(self, host):
        probe = self.run_in(host, "tc", "qdisc", "add", "dev", self.interface(host), "root", "netem", "delay",
                            "0ms", check=False)
        if probe.returncode != 0:
            return False
        self.run_in(host, "tc", "qdisc", "del", "dev", self.interface(host), "root")
        return True

    def shape(self, graph, loss, delay, probe_host):
        """Applies `loss` (a fraction) and `delay` (ms) on every peer and each link's own; records the methods."""
        shaped = [link for link in graph.links if link.loss is not None or link.delay is not None]
        if not loss and not delay and not shaped:
            return
        netem = self.has_netem(probe_host)
        for node in graph.nodes:
            own = [link for link in shaped if link.source == node.name]
            if netem:
                self._netem(node.name, own, graph, loss, delay)
            else:
                self._iptables(node.name, [link for link in shaped if link.target == node.name], graph, loss)
        method = "netem" if netem else f"iptables statistic DROP on INPUT ({NO_NETEM})"
        links_with_loss = [link for link in shaped if link.loss is not None]
        links_with_delay = [link for link in shaped if link.delay is not None]
        self.loss_method = method if loss or links_with_loss else "none"
        if delay or links_with_delay:
            self.delay_method = "netem" if netem else f"not applied: {NO_NETEM}"
        if shaped:
            how = "netem" if netem else "loss only, iptables"
            self.link_shaping = (f"{len(links_with_loss)} directed link(s) with their own loss, "
                                 f"{len(links_with_delay)} with their own delay ({how})")

    @staticmethod
    def _netem_spec(loss, delay):
        spec = []
        if loss:
            spec += ["loss", f"{loss * 100:g}%"]
        if delay:
            spec += ["delay", f"{delay:g}ms"]
        return spec or ["delay", "0ms"]

    def _netem(self, host, links, graph, loss, delay):
        device = self.interface(host)
        if not links:
            if loss or delay:
                self.run_in(host, "tc", "qdisc", "add", "dev", device, "root", "netem", *self._netem_spec(loss, delay))
            return
        tc = lambda *args: self.run_in(host, "tc", *args)
        tc("qdisc", "add", "dev", device, "root", "handle", "1:", "htb", "default", "1")
        tc("class", "add", "dev", device, "parent", "1:", "classid", "1:1", "htb", "rate", "10gbit")
        if loss or delay:
            tc("qdisc", "add", "dev", device, "parent", "1:1", "netem", *self._netem_spec(loss, delay))
        for number, link in enumerate(links, start=10):
            link_loss = topology.parse_percent(link.loss) if link.loss is not None else loss
            link_delay = topology.parse_milliseconds(link.delay) if link.delay is not None else delay
            tc("class", "add", "dev", device, "parent", "1:", "classid", f"1:{number}", "htb", "rate", "10gbit")
            spec = self._netem_spec(link_loss, link_delay)
            tc("qdisc", "add", "dev", device, "parent", f"1:{number}", "netem", *spec)
            target = graph.by_name[link.target].address
            tc("filter", "add", "dev", device, "parent", "1:", "protocol", "ip", "u32", "match", "ip", "dst",
               f"{target}/32", "flowid", f"1:{number}")

    def _iptables(self, host, incoming, graph, loss):
        device = self.interface(host)
        drop = lambda p, *match: self.run_in(host, "iptables", "-A", "INPUT", "-i", device, *match, "-p", "udp",
                                             "-m", "statistic", "--mode", "random", "--probability", f"{p:.4f}",
                                             "-j", "DROP")
        for link in incoming:
            if link.loss is not None and topology.parse_percent(link.loss) > 0:
                drop(topology.parse_percent(link.loss), "-s", f"{graph.by_name[link.source].address}/32")
        if loss:
            drop(loss)
