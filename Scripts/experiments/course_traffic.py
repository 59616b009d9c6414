"""The datagrams a traffic round of the course scenario adds to its clients' runs (--traffic), so that the
dashboards' error and loss panels have something to show: to every peer an unknown message type, a truncated
QUERY and a GET for chunk 4 (which no peer holds); and to p4 and p5 HELLOs for chunks nobody holds, each with
its own chunk id (a flood of its own), which cross the p4-p5 link."""

import subprocess

PYTHON = "/usr/bin/python3"
# Each datagram from a socket of its own, as a new client would send it.
SEND = ("import socket, sys\n"
        "for target in sys.argv[1:]:\n"
        "    host, port, data = target.split(':')\n"
        "    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:\n"
        "        s.sendto(bytes.fromhex(data), (host, int(port)))\n")
BAD = ["ffff0001", "00020a", "000400010004"]
HELLO_TARGETS = ("p4", "p5")


def datagrams(endpoints, round_number):
    """'ip:port:hex' for every datagram of one round; `endpoints` maps peer name (p1..p5) -> ip:port."""
    targets = [f"{endpoint}:{data}" for endpoint in endpoints.values() for data in BAD]
    for i in range(4):
        for name in HELLO_TARGETS:
            chunk = 1000 + round_number * 16 + i * 2 + int(name[1:])
            targets.append(f"{endpoints[name]}:00010001{chunk:04x}")
    return targets


def send_round(place, host, endpoints, round_number):
    """Sends one round's datagrams from `host`; a failure to send is not the scenario's failure."""
    subprocess.run(place.command(host, [PYTHON, "-c", SEND, *datagrams(endpoints, round_number)]),
                   capture_output=True, timeout=60)
