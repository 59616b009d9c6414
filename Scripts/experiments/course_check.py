"""The course scenario's checks on a run folder (`course.py check`): the example clients' logs and chunk files,
the flood trees their traces show against the course topology, and `p2ptrace replay`'s JSON."""

import json
import os
import zlib

import course
import topology


# ---------------------------------------------------------------- traces


def read_traces(folder):
    """Every event of every *.jsonl.gz under folder; a truncated segment is read up to its last flush."""
    events, problems = [], []
    for root, _, files in os.walk(folder):
        for name in sorted(files):
            if not name.endswith(".jsonl.gz"):
                continue
            path = os.path.join(root, name)
            data = b""
            try:
                with open(path, "rb") as f:
                    raw = f.read()
                # A segment is one gzip member per flushed batch: read them all.
                while raw:
                    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    data += d.decompress(raw)
                    raw = d.unused_data
            except zlib.error as error:
                problems.append(f"{path}: {error}")
            for number, line in enumerate(data.decode("utf-8", "replace").split("\n"), start=1):
                if not line.strip():
                    continue
                try:
                    events.append(json.loads(line))
                except ValueError:
                    problems.append(f"{path}:{number}: not JSON (truncated line?)")
    return events, problems


def expected_flood(contact, at=None):
    """node address -> sorted ttls of the queries it receives in one flood from contact (no de-duplication)."""
    at = at or course.NAMESPACES
    flood = topology.expected_flood(course.COURSE, f"p{contact}", course.INITIAL_TTL)
    return {at.peer(int(name.lstrip("p"))): ttls for name, ttls in flood["ttls"].items()}


def client_addresses(out, host):
    """The ip:port of every traced client run on `host` (from the clients' own traces in OUT/traces/<host>)."""
    events, _ = read_traces(os.path.join(out, "traces", host))
    return sorted({e["node"] for e in events if e.get("role") == "client" and e.get("node")})


def observed_flood(events, client):
    """The HELLOs from client, and node address -> sorted ttls of the queries carrying client."""
    hellos = [
        e for e in events
        if e.get("role") == "peer" and e.get("ev") == "recv" and e.get("msg") == "hello" and e.get("from") == client
    ]
    queries = {}
    for e in events:
        if e.get("role") == "peer" and e.get("ev") == "recv" and e.get("msg") == "query" and e.get("client") == client:
            queries.setdefault(e.get("node"), []).append(e.get("ttl"))
    return hellos, {k: sorted(v, reverse=True) for k, v in queries.items()}


# ---------------------------------------------------------------- checks


class Checker:
    def __init__(self):
        self.failures = []
        self.passes = 0

    def expect(self, condition, message):
        if condition:
            self.passes += 1
        else:
            self.failures.append(message)
            print(f"FAIL: {message}")
        return condition


def check_client(c, out, course_dir, at, run, folder_name=None):
    host, _, chunks, holders = run
    folder = os.path.join(out, "clients", folder_name or host)
    log = os.path.join(folder, f"output-{at.client_ip(host)}.log")
    if not c.expect(os.path.isfile(log), f"{host}: {log} was not written"):
        return
    with open(log, encoding="utf-8") as f:
        lines = [line.rstrip("\r") for line in f.read().split("\n") if line.strip()]
    received = [f"{at.peer(holders[i])} - {i}" for i in chunks if holders[i] is not None]
    missing = [f"0.0.0.0:0 - {i}" for i in chunks if holders[i] is None]
    c.expect(sorted(lines[:len(received)]) == sorted(received) and lines[len(received):] == missing,
             f"{host}: {log} is {lines}, expected {received} in any order, then {missing}")
    for i in chunks:
        path = os.path.join(folder, f"chunk{i}.m4s")
        if holders[i] is None:
            c.expect(not os.path.exists(path), f"{host}: {path} exists, but no peer holds chunk {i}")
            continue
        fixture = os.path.join(course_dir, "Chunks", f"BigBuckBunny_{i}.m4s")
        if not c.expect(os.path.isfile(path), f"{host}: {path} is missing"):
            continue
        with open(path, "rb") as a, open(fixture, "rb") as b:
            c.expect(a.read() == b.read(), f"{host}: {path} differs from {fixture}")


def check_replay(c, out, clients, at):
    text = os.path.join(out, "replay.txt")
    c.expect(os.path.isfile(text) and os.path.getsize(text) > 0, f"{text} is missing or empty")
    path = os.path.join(out, "replay.json")
    if not c.expect(os.path.isfile(path), f"{path} is missing"):
        return
    try:
        with open(path, encoding="utf-8") as f:
            replay = json.load(f)
    except ValueError as error:
        c.expect(False, f"{path} is not JSON: {error}")
        return
    for host, contact, _, _ in course.CLIENT_RUNS:
        if host not in clients:
            continue
        flood = expected_flood(contact, at)
        want = {node: sorted(course.INITIAL_TTL + 1 - t for t in ttls) for node, ttls in flood.items()}
        got = replay_hops(replay, clients[host])
        c.expect(got == want, f"replay of {host}'s flood: hops per node {got}, expected {want}")


def replay_hops(replay, client):
    """node -> sorted hops (1 = a neighbour of the contact peer) of client's flood in `p2ptrace replay --format json`
    (schema p2ptrace-replay/1: floods[].client, floods[].visits[].node/hop), or None unless exactly one flood."""
    floods = [f for f in replay.get("floods", []) if f.get("client") == client]
    if len(floods) != 1:
        return None
    hops = {}
    for visit in floods[0].get("visits", []):
        if isinstance(visit.get("hop"), int) and visit["hop"] > 0:
            hops.setdefault(visit.get("node"), []).append(visit["hop"])
    return {k: sorted(v) for k, v in hops.items()}


def check(out, course_dir, lossy=False, replay=False, repeat=1, at=None):
    """Checks a run folder: client logs and chunk files, the flood trees in the traces and (`replay`) the replay;
    prints a line per failure and a count; returns the exit status."""
    at = at or course.NAMESPACES
    c = Checker()
    for run in course.CLIENT_RUNS:
        check_client(c, out, course_dir, at, run)
    for round_number in range(2, repeat + 1):
        check_client(c, out, course_dir, at, course.CLIENT_RUNS[0], f"{course.CLIENT_RUNS[0][0]}-{round_number}")
    events, problems = read_traces(os.path.join(out, "traces"))
    c.expect(not problems, f"trace problems: {problems}")
    nodes = {e.get("node") for e in events}
    for n in course.NEIGHBOURS:
        c.expect(at.peer(n) in nodes, f"no trace events from peer {at.peer(n)}")
    clients = {}
    for host, contact, _, _ in course.CLIENT_RUNS:
        addresses = client_addresses(out, host)
        if not c.expect(len(addresses) == 1, f"{host}: traced client addresses {addresses}, expected one"):
            continue
        clients[host] = addresses[0]
        if lossy:
            continue
        hellos, got = observed_flood(events, addresses[0])
        c.expect(len(hellos) == 1, f"{host}: {len(hellos)} HELLOs from {addresses[0]} received by peers, expected 1")
        want = expected_flood(contact, at)
        c.expect(got == want, f"{host}: queries received per node (ttls) {got}, expected {want}")
    if replay:
        check_replay(c, out, clients, at)
    print(f"course check: {c.passes} passed, {len(c.failures)} failed")
    return 0 if not c.failures else 1
