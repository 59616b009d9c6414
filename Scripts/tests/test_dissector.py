"""The Wireshark dissector (Scripts/wireshark/p2pchunks.lua) under real tshark.

PROTOCOL.md's test vectors and malformed datagrams in a pcap written here; then a capture of the course topology
on loopback (real peers and clients under tcpdump, plus malformed datagrams from a Python socket), where for every
datagram the fields tshark prints equal the reference decoder's (wire_reference.py) and, for every datagram that a
traced node received, what that node's trace says it decoded (the Swift decoder's view: `recv` events, or `drop`
events with the reason label)."""
import json
import os
import shutil
import socket
import subprocess

import pytest

import experiment
import pcap_writer
import topology
import wire_reference
from conftest import ROOT, SCRIPTS
from experiments import course_check
from experiments.places import Loopback
from packet_capture import PacketCapture, port_filter

DISSECTOR = os.path.join(SCRIPTS, "wireshark", "p2pchunks.lua")
BIN_DIR = os.environ.get("BIN_DIR") or os.path.join(ROOT, ".build", "debug")
COURSE_DIR = os.path.join(ROOT, "..", "shared", "fixtures", "course")
# The course's 10.0.0.N on 127.BASE.0.N, away from the Swift tests' 127.100-199 and the experiment tests' 127.220;
# one of twenty, so that two runs of this test on one machine rarely share addresses (nor each other's capture).
BASE = 232 + os.getpid() % 20
FIELDS = ["type", "ttl", "client", "count", "chunk", "size", "malformed"]
EXPERTS = ["short", "count_mismatch", "trailing", "unknown_type", "size_mismatch"]

needs_tshark = pytest.mark.skipif(not shutil.which("tshark"), reason="needs tshark (Debian tshark)")


def tshark(pcap, *options, fields=()):
    """tshark's view of every packet: a dict of field -> list of strings (absent fields absent)."""
    argv = ["tshark", "-r", pcap, "-X", f"lua_script:{DISSECTOR}", "-T", "json", *options]
    for name in fields:
        argv += ["-e", name]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Lua" not in result.stderr, result.stderr
    return [packet["_source"]["layers"] for packet in json.loads(result.stdout or "[]")]


def dissected(pcap):
    """Per packet: addresses, payload bytes, and the p2pchunks fields in the reference decoder's form."""
    names = ["ip.src", "udp.srcport", "ip.dst", "udp.dstport", "udp.payload", "_ws.col.Info", "_ws.col.Protocol"]
    names += [f"p2pchunks.{f}" for f in FIELDS] + [f"p2pchunks.{e}" for e in EXPERTS]
    packets = []
    for layers in tshark(pcap, fields=names):
        fields = {}
        for name in FIELDS:
            values = layers.get(f"p2pchunks.{name}")
            if values:
                fields[name] = values[0] if name in ("client", "malformed") else int(values[0])
        chunks = [int(c) for c in layers.get("p2pchunks.chunk", [])]
        if "count" in fields:
            fields["chunks"] = chunks
            del fields["chunk"]
        experts = [e for e in EXPERTS if f"p2pchunks.{e}" in layers]
        if experts:
            fields["expert"] = ",".join(experts)
        packets.append({
            "from": f"{layers['ip.src'][0]}:{layers.get('udp.srcport', ['-'])[0]}",  # no port: an IP fragment
            "to": f"{layers['ip.dst'][0]}:{layers.get('udp.dstport', ['-'])[0]}",
            "payload": bytes.fromhex(layers.get("udp.payload", [""])[0]),
            "info": layers["_ws.col.Info"][0], "protocol": layers["_ws.col.Protocol"][0], "fields": fields})
    return packets


# ------------------------------------------------------------------------------------------------ test vectors

CLIENT, PEER, NEIGHBOUR = ("127.0.0.1", 7320), ("127.0.0.1", 5004), ("127.0.0.1", 5005)
VECTORS = [  # PROTOCOL.md's test vectors: client 127.0.0.1:7320 asking chunks 1,2,3,4
    (CLIENT, PEER, "0001 0004 0001 0002 0003 0004",
     {"type": 1, "count": 4, "chunks": [1, 2, 3, 4]}, "HELLO chunks=1,2,3,4"),
    (NEIGHBOUR, PEER, "0002 7f000001 1c98 0003 0003 0001 0002 0003",
     {"type": 2, "client": "127.0.0.1:7320", "ttl": 3, "count": 3, "chunks": [1, 2, 3]},
     "QUERY ttl=3 client=127.0.0.1:7320 chunks=1,2,3"),
    (PEER, CLIENT, "0003 0002 0001 0002", {"type": 3, "count": 2, "chunks": [1, 2]}, "CHUNK_INFO chunks=1,2"),
    (CLIENT, PEER, "0004 0002 0001 0002", {"type": 4, "count": 2, "chunks": [1, 2]}, "GET chunks=1,2"),
    (PEER, CLIENT, "0005 0001 0400" + "ab" * 1024, {"type": 5, "chunk": 1, "size": 1024},
     "RESPONSE chunk=1 size=1024"),
]
MALFORMED = [  # payload, fields the dissector must show
    ("ffff 0001", {"type": 65535, "malformed": "unknown_type", "expert": "unknown_type"}),
    ("00", {"malformed": "truncated", "expert": "short"}),
    ("0002 0a", {"type": 2, "malformed": "truncated", "expert": "short"}),
    ("0001 0003 0001 0002", {"type": 1, "count": 3, "chunks": [1, 2], "malformed": "truncated",
                             "expert": "count_mismatch"}),
    ("0004 0001 0007 0008", {"type": 4, "count": 1, "chunks": [7], "malformed": "trailing_bytes",
                             "expert": "trailing"}),
    ("0002 0a000004 138c 0002 0002 0001", {"type": 2, "client": "10.0.0.4:5004", "ttl": 2, "count": 2,
                                           "chunks": [1], "malformed": "truncated", "expert": "count_mismatch"}),
    ("0005 0009 0400 0102", {"type": 5, "chunk": 9, "size": 1024, "malformed": "size_mismatch",
                             "expert": "size_mismatch"}),
    ("0005 0009", {"type": 5, "chunk": 9, "malformed": "truncated", "expert": "short"}),
]


@needs_tshark
def test_protocol_test_vectors_and_malformed_datagrams(tmp_path):
    pcap = str(tmp_path / "vectors.pcap")
    datagrams = [(s, d, bytes.fromhex(p)) for s, d, p, _, _ in VECTORS]
    datagrams += [(CLIENT, PEER, bytes.fromhex(p)) for p, _ in MALFORMED]
    pcap_writer.write(pcap, datagrams)
    packets = dissected(pcap)
    assert len(packets) == len(datagrams)
    for packet, (_, _, _, fields, info) in zip(packets, VECTORS):
        assert (packet["fields"], packet["info"], packet["protocol"]) == (fields, info, "P2PCHUNKS")
    for packet, (payload, fields) in zip(packets[len(VECTORS):], MALFORMED):
        assert packet["fields"] == fields, payload
        assert packet["fields"] == wire_reference.decode(bytes.fromhex(payload)), payload


@needs_tshark
def test_heuristic_takes_the_protocol_on_other_ports_and_leaves_the_rest(tmp_path):
    pcap = str(tmp_path / "ports.pcap")
    query = bytes.fromhex("0002 0a000004 138c 0002 0003 0001 0003 0004")
    pcap_writer.write(pcap, [
        (("127.0.0.1", 40000), ("127.0.0.1", 40001), query),
        (("127.0.0.1", 40000), ("127.0.0.1", 40001), b"hello world"),
        (("127.0.0.1", 40000), ("127.0.0.1", 40001), bytes.fromhex("0001 0003 0001")),  # malformed: not claimed
        (("127.0.0.1", 5353), ("224.0.0.251", 5353), bytes(12)),  # mDNS keeps its port
        (("127.0.0.1", 40000), ("127.0.0.1", 5001), query),  # 5001 is cpfi's port in Wireshark: ours wins
    ])
    packets = dissected(pcap)
    assert [p["protocol"] for p in packets] == ["P2PCHUNKS", "UDP", "UDP", "MDNS", "P2PCHUNKS"]
    assert packets[0]["info"] == packets[4]["info"] == "QUERY ttl=2 client=10.0.0.4:5004 chunks=1,3,4"
    filtered = tshark(pcap, "-Y", 'p2pchunks.client == "10.0.0.4:5004" && p2pchunks.chunk == 3',
                      fields=["frame.number"])
    assert [p["frame.number"] for p in filtered] == [["1"], ["5"]]


@needs_tshark
def test_fragmented_and_snapped_datagrams(tmp_path):
    response = bytes.fromhex("0005 0007 0400") + bytes(range(256)) * 4
    fragmented, snapped = str(tmp_path / "fragmented.pcap"), str(tmp_path / "snapped.pcap")
    pcap_writer.write(fragmented, [(PEER, CLIENT, response)], mtu=576)
    shown = dissected(fragmented)
    packets = [p for p in shown if p["protocol"] == "P2PCHUNKS"]
    assert len(shown) == 2 and len(packets) == 1 and packets[0]["payload"] == response  # reassembled
    assert packets[0]["fields"] == {"type": 5, "chunk": 7, "size": 1024}
    # A capture with a snaplen of 100 bytes keeps the headers: the fields are read, the datagram is not malformed.
    pcap_writer.write(snapped, [(PEER, CLIENT, response), (CLIENT, PEER, bytes.fromhex(VECTORS[0][2]))], snaplen=100)
    layers = tshark(snapped, fields=["p2pchunks.size", "p2pchunks.snapped", "p2pchunks.malformed", "_ws.col.Info"])
    assert layers[0]["p2pchunks.size"] == ["1024"] and "p2pchunks.snapped" in layers[0]
    assert "p2pchunks.malformed" not in layers[0] and layers[0]["_ws.col.Info"] == ["RESPONSE chunk=7 size=1024"]
    assert layers[1]["_ws.col.Info"] == [VECTORS[0][4]] and "p2pchunks.snapped" not in layers[1]


# ------------------------------------------------------------------------------------------------ a real capture

def send_bad_datagrams(contact):
    """Malformed datagrams, a RESPONSE (unexpected at a peer) and a HELLO for chunks 1 and 5, from one Python socket.

    Returns once the three CHUNK_INFOs that the HELLO's flood brings have come (p2's for chunk 1 two hops away,
    and p1's for chunk 5 by both paths three hops away): every peer has read all that was sent to it."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        for payload, _ in MALFORMED:
            sock.sendto(bytes.fromhex(payload), contact)
        sock.sendto(bytes.fromhex("0005 0001 0004 deadbeef"), contact)
        sock.sendto(bytes.fromhex("0001 0002 0001 0005"), contact)
        sock.settimeout(10)
        for _ in range(3):
            assert wire_reference.decode(sock.recv(65535)).get("type") == 3


@pytest.fixture(scope="module")
def course_capture(tmp_path_factory):
    """The course on 127.BASE.0.N under tcpdump: both example clients and the bad datagrams.

    Returns (pcap path, tshark's packets, every trace event)."""
    for need, why in ((shutil.which("tshark"), "needs tshark (Debian tshark)"),
                      (shutil.which("tcpdump"), "needs tcpdump (Debian tcpdump)"),
                      (os.geteuid() == 0, "capturing on lo needs root"),
                      (os.access(os.path.join(BIN_DIR, "peer"), os.X_OK), f"no built peer in {BIN_DIR}")):
        if not need:
            pytest.skip(why)
    out = str(tmp_path_factory.mktemp("course-capture"))
    graph = topology.load(topology.COURSE_FILE)
    kv_dir, chunks_dir = experiment.prepare_data(graph, out, COURSE_DIR)
    traces = os.path.join(out, "traces")
    place = Loopback(BIN_DIR, out, BASE)
    capture = PacketCapture(os.path.join(out, "course.pcap"), "lo", port_filter(5000, 5999, [f"127.{BASE}.0.0/16"]))
    capture.start()
    try:
        def argv_of(node):
            neighbours = [place.address(graph.by_name[m]) for m in graph.neighbours[node.name]]
            return [place.address(node), os.path.join(kv_dir, node.name), *neighbours, "--chunks-dir", chunks_dir,
                    "--trace-dir", traces]

        peers = place.start_peers(graph, argv_of, os.path.join(out, "logs"))
        for client in graph.clients:
            contact = place.address(graph.by_name[client["contact"]])
            argv = [contact, ",".join(str(c) for c in client["chunks"]), "--output-dir",
                    os.path.join(out, client["name"]), "--trace-dir", traces, "--timeout", "1"]
            assert place.run_client(argv, os.path.join(out, f"{client['name']}.log")) == 0
        ip, port = place.address(graph.by_name["p4"]).split(":")
        send_bad_datagrams((ip, int(port)))
        place.stop_peers(peers)
    finally:
        place.close()
        captured = capture.stop()
    events, problems = course_check.read_traces(traces)
    assert not problems
    packets = dissected(capture.path)
    assert captured == len(packets) and capture.dropped == 0, capture.summary(captured)
    return capture.path, packets, events


def test_every_captured_datagram_decodes_as_the_reference_says(course_capture):
    _, packets, _ = course_capture
    assert {p["fields"].get("type") for p in packets} >= {1, 2, 3, 4, 5}
    assert {p["fields"].get("expert") for p in packets} >= set(EXPERTS)
    for packet in packets:
        assert packet["protocol"] == "P2PCHUNKS"
        assert packet["fields"] == wire_reference.decode(packet["payload"]), packet
        if "malformed" not in packet["fields"]:
            assert packet["info"] == wire_reference.info(packet["payload"])


def trace_view(event):
    """What a node's receive or drop event says the datagram was, in the dissector's terms."""
    if event["ev"] == "drop":
        if event["reason"] in ("truncated", "trailing_bytes", "unknown_type", "size_mismatch"):
            return {"bytes": event["bytes"], "malformed": event["reason"]}
        return {"bytes": event["bytes"], "type": int(event["head"][:4], 16)}  # a message this node never takes
    view = {"bytes": event["bytes"], "type": list(wire_reference.TRACE_NAMES.values()).index(event["msg"]) + 1}
    if event["msg"] == "response":
        view.update(chunk=event["chunks"][0], size=event["size"])
    else:
        view["chunks"] = event["chunks"]
    if event["msg"] == "query":
        view.update(client=event["client"], ttl=event["ttl"])
    return view


def matches(packet, view):
    """The dissector's fields of `packet` agree with a trace view (on the keys the view has)."""
    fields = dict(packet["fields"], bytes=len(packet["payload"]))
    return all(fields.get(key) == value for key, value in view.items())


def test_every_datagram_a_node_received_is_what_its_trace_says(course_capture):
    """Peers run to the end and read every datagram sent to them: their traces and the capture agree one to one.
    A client stops once it has its chunks, so a late CHUNK_INFO may reach it unread: its trace is in the capture."""
    _, packets, events = course_capture
    received = {}
    for event in events:
        if event.get("ev") in ("recv", "drop") and "from" in event:
            received.setdefault((event["from"], event["node"]), []).append(trace_view(event))
    nodes = {e["node"] for e in events}
    unmatched = {}
    for packet in packets:
        if packet["to"] in nodes:
            unmatched.setdefault((packet["from"], packet["to"]), []).append(packet)
    peers = {e["node"] for e in events if e.get("role") == "peer"}
    assert {k for k in unmatched if k[1] in peers} == {k for k in received if k[1] in peers}
    for key, views in received.items():
        assert len(unmatched[key]) == len(views) or (key[1] not in peers and len(unmatched[key]) > len(views)), key
        for view in views:
            match = next((p for p in unmatched[key] if matches(p, view)), None)
            shown = [p["fields"] for p in unmatched[key]]
            assert match is not None, f"{key}: the trace says {view}; tshark shows {shown}"
            unmatched[key].remove(match)
    dropped = [v["malformed"] for views in received.values() for v in views if "malformed" in v]
    assert sorted(dropped) == sorted(fields["malformed"] for _, fields in MALFORMED)


def frames(pcap, display_filter):
    return len(tshark(pcap, "-Y", display_filter, fields=["frame.number"]))


def test_display_filters_select_what_the_flood_implies(course_capture):
    pcap, packets, _ = course_capture
    # QUERYs arriving with ttl 1, three hops from the contact: two floods from p4 (h6's and the Python HELLO)
    # and one from p1 (h7's), as the course topology implies.
    last_hop = {n: sum(ttls.count(1) for ttls in course_check.expected_flood(n).values()) for n in (1, 4)}
    assert frames(pcap, "p2pchunks.type == 2 && p2pchunks.ttl == 1") == 2 * last_hop[4] + last_hop[1] > 0
    assert frames(pcap, "p2pchunks.malformed") == len(MALFORMED)
    assert frames(pcap, "p2pchunks.count_mismatch") == 2
    responses = [p for p in packets if wire_reference.decode(p["payload"]).get("type") == 5]
    assert frames(pcap, "p2pchunks.type == RESPONSE") == len(responses) > 0
    assert frames(pcap, "p2pchunks.chunk == 9 && p2pchunks.size == 1024") == 1 + 1  # p5's RESPONSE, one bad one
