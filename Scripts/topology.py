#!/usr/bin/python3
"""Topology files (Topologies/README.md): load and check them, generate them, and compute what a flood implies.

  topology.py check FILE                        exit 1 with errors naming the line or node, else print a summary
  topology.py generate SPEC [--seed S] [--placement P] [--connected]
                                                print a topology file, e.g. ring:12, grid:4x5, regular:1000,4
  topology.py expected FILE --contact NAME [--ttl 3] [--chunks 1,3]
                                                the walk-tree counts of one flood, as JSON
  topology.py neighbours FILE NAME              NAME's neighbours' ip:port, one per line

SPEC is one of: course, line:N, ring:N, star:N, grid:RxC, tree:N, complete:N, regular:N,D, er:N,P, ba:N,M.
P (placement) is course (the course's chunk lists, cycled), random:K,R (K chunks, R replicas each on random
nodes) or one:K (all K chunks on the first node). Random graphs and placements are drawn from --seed.
Generators use networkx (Debian python3-networkx); checking and counting need only the standard library.
"""

import argparse
import ipaddress
import json
import os
import random
import sys

SCHEMA = "p2p-topology/1"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COURSE_FILE = os.path.join(ROOT, "Topologies", "course.json")
# The chunk lists of the course's key-values files (PROTOCOL.md), used by the `course` placement.
COURSE_HELD = [[5, 6, 7, 8], [1, 2], [3, 6, 7, 8], [6, 7, 8], [9, 10]]
COURSE_CHUNK_FILE = "BigBuckBunny_{id}.m4s"
GENERATED_CHUNK_FILE = "chunk_{id}.bin"


class TopologyError(Exception):
    """A topology file that cannot be used; the message names the file, line and node."""


class Node:
    """One peer: its name, ip, port, metrics port (or None) and the chunk ids it holds."""

    def __init__(self, name, address, port, metrics_port, chunks, line):
        self.name, self.address, self.port, self.metrics_port = name, address, port, metrics_port
        self.chunks, self.line = chunks, line

    def endpoint(self, address=None):
        return f"{address or self.address}:{self.port}"


class Link:
    """A directed hop a query can take (an undirected edge is two links), with its optional loss and delay."""

    def __init__(self, source, target, loss, delay, line):
        self.source, self.target, self.loss, self.delay, self.line = source, target, loss, delay, line


class Topology:
    """A checked topology: nodes in file order, each node's neighbours in edge order, links, clients."""

    def __init__(self, name, nodes, links, clients, chunk_file, chunk_bytes, path=None):
        self.name, self.nodes, self.links, self.clients = name, nodes, links, clients
        self.chunk_file, self.chunk_bytes, self.path = chunk_file, chunk_bytes, path
        self.by_name = {n.name: n for n in nodes}
        self.neighbours = {n.name: [] for n in nodes}
        for link in links:
            if link.target not in self.neighbours[link.source]:
                self.neighbours[link.source].append(link.target)

    def chunk_name(self, chunk):
        return self.chunk_file.replace("{id}", str(chunk))

    def chunk_ids(self):
        return sorted({c for n in self.nodes for c in n.chunks})

    def degree(self, name):
        return len(self.neighbours[name])

    def key_values(self, name):
        """The key-values file text of node `name`."""
        return "".join(f"{c}: {self.chunk_name(c)}\n" for c in self.by_name[name].chunks)


# ---------------------------------------------------------------------------------------------------- loading


def _line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def _array_items(text, key):
    """(value, line) for every element of the top-level array `key`, found by decoding the text in place."""
    decoder = json.JSONDecoder()
    start = text.find(f'"{key}"')
    if start < 0:
        return []
    index = text.index("[", start) + 1
    items = []
    while True:
        while text[index] in " \t\r\n,":
            index += 1
        if text[index] == "]":
            return items
        value, end = decoder.raw_decode(text, index)
        items.append((value, _line_of(text, index)))
        index = end


def _fail(where, message):
    raise TopologyError(f"{where}: {message}")


def load(path):
    """Reads and checks a topology file. Raises TopologyError naming the line and node of the first problem."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as error:
        raise TopologyError(f"{path}: cannot read: {error.strerror}") from None
    try:
        data = json.loads(text)
    except ValueError as error:
        raise TopologyError(f"{path}:{error.lineno}: not JSON: {error.msg}") from None
    if not isinstance(data, dict):
        _fail(path, "expected a JSON object with 'nodes' and 'edges'")
    topology = parse(data, path, _array_items(text, "nodes"), _array_items(text, "edges"))
    topology.path = path
    return topology


def parse(data, path="<topology>", node_items=None, edge_items=None):
    """Builds a Topology from decoded JSON; items carry line numbers when read from a file."""
    if data.get("schema", SCHEMA) != SCHEMA:
        _fail(path, f"schema is {data.get('schema')!r}, this tool reads {SCHEMA!r}")
    node_items = node_items or [(n, None) for n in data.get("nodes", [])]
    edge_items = edge_items if edge_items is not None else [(e, None) for e in data.get("edges", [])]
    if not node_items:
        _fail(path, "no nodes")
    where = lambda line: f"{path}:{line}" if line else path
    nodes, names, endpoints = [], set(), {}
    for raw, line in node_items:
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"]:
            _fail(where(line), "a node needs a non-empty string 'name'")
        name = raw["name"]
        if name in names:
            _fail(where(line), f"node {name} is listed twice")
        names.add(name)
        try:
            address = str(ipaddress.IPv4Address(raw.get("address")))
        except (ipaddress.AddressValueError, ValueError):
            _fail(where(line), f"node {name}: address {raw.get('address')!r} is not an IPv4 address")
        port = raw.get("port")
        for label, value in (("port", port), ("metrics_port", raw.get("metrics_port", 1))):
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 65535:
                _fail(where(line), f"node {name}: {label} {value!r} is out of range (1-65535)")
        if (address, port) in endpoints:
            other = endpoints[(address, port)]
            _fail(where(line), f"node {name}: duplicate address {address}:{port} (also node {other})")
        endpoints[(address, port)] = name
        chunks = raw.get("chunks", [])
        if not isinstance(chunks, list) or not all(isinstance(c, int) and 0 <= c <= 65535 for c in chunks):
            _fail(where(line), f"node {name}: chunks must be a list of ids 0-65535")
        nodes.append(Node(name, address, port, raw.get("metrics_port"), list(chunks), line))
    directed = bool(data.get("directed", False))
    links = []
    for raw, line in edge_items:
        if isinstance(raw, list) and len(raw) == 2:
            raw = {"from": raw[0], "to": raw[1]}
        if not isinstance(raw, dict):
            _fail(where(line), "an edge is {\"from\": A, \"to\": B, ...} or [A, B]")
        a, b = raw.get("from"), raw.get("to")
        for end in (a, b):
            if end not in names:
                _fail(where(line), f"edge {a} - {b}: unknown node {end!r}")
        if a == b:
            _fail(where(line), f"edge {a} - {b}: a node cannot be its own neighbour")
        loss, delay = raw.get("loss"), raw.get("delay")
        if loss is not None:
            try:
                parse_percent(loss)
            except ValueError as error:
                _fail(where(line), f"edge {a} - {b}: {error}")
        if delay is not None:
            try:
                parse_milliseconds(delay)
            except ValueError as error:
                _fail(where(line), f"edge {a} - {b}: {error}")
        links.append(Link(a, b, loss, delay, line))
        if not raw.get("directed", directed):
            links.append(Link(b, a, loss, delay, line))
    clients = data.get("clients", [])
    for client in clients:
        if client.get("contact") not in names:
            _fail(path, f"client {client.get('name')}: unknown contact node {client.get('contact')!r}")
    topology = Topology(data.get("name", os.path.basename(path)), nodes, links, clients,
                        data.get("chunk_file", GENERATED_CHUNK_FILE), int(data.get("chunk_bytes", 1024)))
    if data.get("connected"):
        unreached = unreachable(topology)
        if unreached:
            _fail(path, f"the graph must be connected, but {len(unreached)} node(s) cannot be reached from "
                        f"{nodes[0].name}: {', '.join(unreached[:10])}{' ...' if len(unreached) > 10 else ''}")
    return topology


def unreachable(topology):
    """Nodes a flood from the first node never reaches whatever its TTL, in file order."""
    seen, stack = {topology.nodes[0].name}, [topology.nodes[0].name]
    while stack:
        for m in topology.neighbours[stack.pop()]:
            if m not in seen:
                seen.add(m)
                stack.append(m)
    return [n.name for n in topology.nodes if n.name not in seen]


def parse_percent(text):
    """'5%' or 5 (both percent) -> the fraction 0.05."""
    value = str(text).strip().rstrip("%")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"loss {text!r} is not a percentage like 5%") from None
    if not 0 <= number <= 100:
        raise ValueError(f"loss {text!r} is outside 0-100%")
    return number / 100


def parse_milliseconds(text):
    """'2ms', '1.5ms', '0' or a number of milliseconds -> float milliseconds."""
    value = str(text).strip()
    if value.endswith("ms"):
        value = value[:-2]
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"delay {text!r} is not a time like 2ms") from None
    if number < 0:
        raise ValueError(f"delay {text!r} is negative")
    return number


# ---------------------------------------------------------------------------------------------------- flooding


def expected_flood(topology, contact, ttl=3, chunks=()):
    """What one HELLO to `contact` implies under PROTOCOL.md (the walk tree: no de-duplication).

    The contact sends the query with `ttl` to every neighbour; a receiver answers and, when ttl - 1 > 0, forwards
    to every neighbour but the sender. Returns queries (datagrams), receptions per node, peers reached (contact
    included) and coverage, duplicates (receptions beyond the first at a node; at the contact, every one),
    expired (receptions with ttl 1), chunk_infos (the contact's own answer plus one per reception at a holder) and
    ttls (node -> the ttls of the queries it receives, highest first).
    """
    asked = set(chunks)
    holds = lambda name: bool(asked & set(topology.by_name[name].chunks))
    received, ttls = {}, {}
    expired = 0
    infos = 1 if holds(contact) else 0
    stack = [(m, contact, ttl) for m in reversed(topology.neighbours[contact])] if ttl > 0 else []
    while stack:
        node, sender, t = stack.pop()
        received[node] = received.get(node, 0) + 1
        ttls.setdefault(node, []).append(t)
        if holds(node):
            infos += 1
        if t - 1 > 0:
            stack.extend((m, node, t - 1) for m in reversed(topology.neighbours[node]) if m != sender)
        else:
            expired += 1
    queries = sum(received.values())
    reached = set(received) | {contact}
    duplicates = queries - len(set(received) - {contact})
    return {"contact": contact, "ttl": ttl, "queries": queries, "received": received, "peers_reached": len(reached),
            "coverage": len(reached) / len(topology.nodes), "duplicates": duplicates, "expired": expired,
            "chunk_infos": infos, "ttls": {name: sorted(v, reverse=True) for name, v in ttls.items()}}


# ---------------------------------------------------------------------------------------------------- generating


def generated_address(index):
    """Node index (0-based) -> (ip, port, metrics port): 10.0.<i/250>.<i%250+1>, 500x like the course's."""
    host = index % 250 + 1
    return f"10.0.{index // 250}.{host}", 5000 + host, 9100 + host


def graph(spec, seed):
    """A networkx graph from SPEC (see the module help); nodes 0..n-1."""
    import networkx as nx

    kind, _, arguments = spec.partition(":")
    try:
        values = [float(v) for v in arguments.replace("x", ",").split(",")] if arguments else []
    except ValueError:
        raise TopologyError(f"generator {spec!r}: arguments must be numbers") from None
    ints = [int(v) for v in values]
    need = {"line": 1, "ring": 1, "star": 1, "grid": 2, "tree": 1, "complete": 1, "regular": 2, "er": 2, "ba": 2}
    if kind not in need:
        raise TopologyError(f"unknown generator {kind!r}: use one of course, {', '.join(need)}")
    if len(values) != need[kind] or ints[0] < 2:
        raise TopologyError(f"generator {spec!r}: {kind} takes {need[kind]} argument(s) and at least 2 nodes")
    n = ints[0]
    try:
        if kind == "line":
            return nx.path_graph(n)
        if kind == "ring":
            return nx.cycle_graph(n)
        if kind == "star":
            return nx.star_graph(n - 1)
        if kind == "grid":
            return nx.convert_node_labels_to_integers(nx.grid_2d_graph(ints[0], ints[1]), ordering="sorted")
        if kind == "tree":
            return nx.random_tree(n, seed=seed)
        if kind == "complete":
            return nx.complete_graph(n)
        if kind == "regular":
            for attempt in range(100):
                g = nx.random_regular_graph(ints[1], n, seed=seed + attempt)
                if nx.is_connected(g):
                    return g
            raise TopologyError(f"generator {spec!r}: no connected {ints[1]}-regular graph in 100 draws")
        if kind == "er":
            for attempt in range(1000):
                g = nx.gnp_random_graph(n, values[1], seed=seed + attempt)
                if nx.is_connected(g):
                    return g
            raise TopologyError(f"generator {spec!r}: p = {values[1]} gave no connected graph in 1000 draws; raise p")
        return nx.barabasi_albert_graph(n, ints[1], seed=seed)
    except nx.NetworkXError as error:
        raise TopologyError(f"generator {spec!r}: {error}") from None


def placement(spec, count, rng):
    """Chunk ids per node index from a placement SPEC; and the chunk file template it implies."""
    kind, _, arguments = spec.partition(":")
    try:
        values = [int(v) for v in arguments.split(",")] if arguments else []
    except ValueError:
        raise TopologyError(f"placement {spec!r}: arguments must be integers") from None
    if kind == "course" and not values:
        return [list(COURSE_HELD[i % len(COURSE_HELD)]) for i in range(count)], COURSE_CHUNK_FILE
    if kind == "random" and len(values) == 2 and values[0] >= 1 and 1 <= values[1] <= count:
        held = [[] for _ in range(count)]
        for chunk in range(1, values[0] + 1):
            for index in rng.sample(range(count), values[1]):
                held[index].append(chunk)
        return [sorted(h) for h in held], GENERATED_CHUNK_FILE
    if kind == "one" and len(values) == 1 and values[0] >= 1:
        return [list(range(1, values[0] + 1))] + [[] for _ in range(count - 1)], GENERATED_CHUNK_FILE
    raise TopologyError(f"placement {spec!r}: use course, random:K,R (R <= {count} nodes) or one:K")


def generate(spec, seed=1, placement_spec="course", connected=True):
    """A topology document (a dict, ready for json.dump) from a generator SPEC."""
    if spec == "course":
        with open(COURSE_FILE, encoding="utf-8") as f:
            return json.load(f)
    g = graph(spec, seed)
    order = sorted(g.nodes)
    rng = random.Random(seed)
    held, chunk_file = placement(placement_spec, len(order), rng)
    nodes = []
    for index, held_chunks in enumerate(held):
        ip, port, metrics = generated_address(index)
        nodes.append({"name": f"p{index + 1}", "address": ip, "port": port, "metrics_port": metrics,
                      "chunks": held_chunks})
    edges = [[f"p{order.index(a) + 1}", f"p{order.index(b) + 1}"] for a, b in sorted(tuple(sorted(e)) for e in g.edges)]
    return {"schema": SCHEMA, "name": f"{spec} seed {seed}", "generator": {"spec": spec, "seed": seed,
            "placement": placement_spec}, "connected": connected, "chunk_file": chunk_file, "nodes": nodes,
            "edges": edges}


def write(document, out):
    """Writes a topology document with one node and one edge per line (so errors can name them)."""
    head = {k: v for k, v in document.items() if k not in ("nodes", "edges")}
    lines = ["{"] + [f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in head.items()]
    lines.append('  "nodes": [')
    lines.append(",\n".join("    " + json.dumps(n) for n in document["nodes"]))
    lines.append("  ],")
    lines.append('  "edges": [')
    lines.append(",\n".join("    " + json.dumps(e) for e in document["edges"]))
    lines.append("  ]")
    lines.append("}")
    out.write("\n".join(lines) + "\n")


def resolve(argument, seed=1, placement_spec="course", out_dir=None):
    """A Topology from a file path or a generator SPEC (written to OUT_DIR/topology.json when given)."""
    if os.path.exists(argument) or argument.endswith(".json"):
        return load(argument)
    document = generate(argument, seed, placement_spec)
    if out_dir:
        path = os.path.join(out_dir, "topology.json")
        with open(path, "w", encoding="utf-8") as f:
            write(document, f)
        return load(path)
    return parse(document, argument)


# ---------------------------------------------------------------------------------------------------- command line


def main(argv=None):
    parser = argparse.ArgumentParser(description="Check, generate and count floods of topology files.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check")
    p.add_argument("file")
    p = sub.add_parser("generate")
    p.add_argument("spec")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--placement", default="course")
    p.add_argument("--connected", action="store_true", default=True)
    p = sub.add_parser("expected")
    p.add_argument("file")
    p.add_argument("--contact", required=True)
    p.add_argument("--ttl", type=int, default=3)
    p.add_argument("--chunks", default="")
    p = sub.add_parser("neighbours")
    p.add_argument("file")
    p.add_argument("name")
    args = parser.parse_args(argv)
    try:
        if args.command == "generate":
            write(generate(args.spec, args.seed, args.placement, args.connected), sys.stdout)
            return 0
        topology = load(args.file)
        if args.command == "check":
            print(f"{args.file}: {len(topology.nodes)} nodes, {len(topology.links)} links, "
                  f"{len(topology.chunk_ids())} distinct chunks")
        elif args.command == "expected":
            if args.contact not in topology.by_name:
                raise TopologyError(f"{args.file}: unknown contact node {args.contact!r}")
            chunks = [int(c) for c in args.chunks.split(",") if c.strip()]
            print(json.dumps(expected_flood(topology, args.contact, args.ttl, chunks), indent=2))
        elif args.command == "neighbours":
            if args.name not in topology.by_name:
                raise TopologyError(f"{args.file}: unknown node {args.name!r}")
            for m in topology.neighbours[args.name]:
                print(topology.by_name[m].endpoint())
    except TopologyError as error:
        print(f"topology: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
