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
hosts, UDP ports 5001-5005, replayed into OUT/capture-replay.{txt,json} by a p2ptrace that has `import`;
`tshark -r OUT/capture.pcap -X lua_script:Scripts/wireshark/p2pchunks.lua` reads it), and the loss options of
course_netns.sh (--loss, --loss-host, --loss-link, --loss-method, --repeat).

The network is one Linux bridge s1 (`LinuxBridge`, i.e. `mn --switch lxbr --controller none`) with h1..h7 (and h8)
on 10.0.0.1-8/16. Peer N runs on hN as `peer 10.0.0.N:500N OUT/data/pN/key-values-files_peerN <neighbours>
--trace-dir OUT/traces/hN --metrics 10.0.0.N:910N`. Then `client 10.0.0.4:5004 1,3,4,5,9` runs on h6 and
`client 10.0.0.1:5001 5,6,7` on h7 (outputs in OUT/clients/h6 and h7, traces in OUT/traces/h6 and h7); the
peers are stopped with SIGTERM, `p2ptrace replay OUT/traces` writes OUT/replay.{txt,json,dot,html}, OUT/
prometheus.yml scrapes the five peers, and Scripts/course.py check verifies logs, chunk files, the flood trees
and the replay. Exit status 0 = all good, 2 on a bad option or missing input. The scenario itself is
Scripts/experiments/course_scenario.py (`course.py run --where mininet`), shared with run-course.sh and
course_netns.sh. The topology alone, for Mininet's own CLI:

  sudo mn --custom Scripts/course_mininet.py --topo course --switch lxbr --controller none
"""

import argparse
import os
import sys

# `mn --custom` executes this file without __file__; it is then run from the package root.
SCRIPTS = os.path.dirname(os.path.abspath(globals().get("__file__", os.path.join("Scripts", "course_mininet.py"))))
ROOT = os.path.dirname(SCRIPTS)
sys.dont_write_bytecode = True  # keep Scripts/ free of __pycache__
sys.path.insert(0, SCRIPTS)
import course  # noqa: E402
from experiments import course_options  # noqa: E402

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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    course_options.add_options(parser, where="mininet")
    args = course_options.settle(parser.parse_args(), parser)
    args.name = "course_mininet"
    return course.run(args)


if __name__ == "__main__":
    sys.exit(main())
