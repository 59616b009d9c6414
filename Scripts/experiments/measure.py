"""Per-flood figures of one experiment step, read with `p2ptrace stats`, beside the walk-tree expectation."""

import json
import os
import subprocess

import topology

FIELDS = [
    "ttl", "repeat", "flood", "client", "contact", "asked", "degree_contact",
    "queries", "expected_queries", "peers_reached", "expected_peers_reached", "coverage", "expected_coverage",
    "duplicates", "expected_duplicates", "expired", "expected_expired", "lost", "chunk_infos",
    "expected_chunk_infos", "first_chunk_info_ms", "last_chunk_info_ms", "last_chunk_ms", "chunks_found",
    "chunks_missing", "matches_expected",
]
COMPARED = ("queries", "peers_reached", "duplicates", "expired", "chunk_infos")


class MeasureError(Exception):
    """p2ptrace could not read a step's traces; the message says which folder and why."""


# Every place runs its nodes on one machine, under one clock: no clock correction. A loaded machine stamps a send
# event up to a few hundred ms after its datagram left, so a receive may be stamped well before its send.
SAME_CLOCK = ["--no-adjust", "--clock-skew-ms", "2000"]


def p2ptrace_stats(bin_dir, traces, floods):
    """The JSON document of `p2ptrace stats TRACES --format json` (with --floods: one row per flood)."""
    argv = [os.path.join(bin_dir, "p2ptrace"), "stats", traces, "--format", "json"]
    argv += ["--floods"] + SAME_CLOCK if floods else []
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise MeasureError(f"p2ptrace stats {traces}: {error}") from None
    if result.returncode != 0:
        raise MeasureError(f"p2ptrace stats {traces} failed ({result.returncode}): {result.stderr.strip()[-500:]}")
    try:
        return json.loads(result.stdout)
    except ValueError as error:
        raise MeasureError(f"p2ptrace stats {traces}: output is not JSON ({error})") from None


def _ms(micros):
    return None if micros is None else round(micros / 1000, 3)


def floods(document, graph, address_of, ttl, repeat):
    """One row per client request of a step, from `p2ptrace stats --floods` (HELLO retries folded into their
    first flood), in time order, with the walk-tree expectation of its contact, TTL and chunks beside it."""
    name_of = {address_of(n): n.name for n in graph.nodes}
    rows = []
    for flood in (f for f in document.get("floods", []) if f.get("retry_of") is None):
        contact = name_of.get(flood["contact"], flood["contact"])
        asked = sorted(flood.get("asked") or [])
        row = {
            "ttl": ttl, "repeat": repeat, "flood": len(rows) + 1, "client": flood["client"], "contact": contact,
            "asked": " ".join(str(c) for c in asked),
            "degree_contact": graph.degree(contact) if contact in graph.by_name else None,
            "queries": flood["query_messages"], "peers_reached": flood["peers_reached"],
            "coverage": round(flood["peers_reached"] / len(graph.nodes), 4),
            "duplicates": flood["duplicates"], "expired": flood["expired"], "lost": flood["lost"],
            "chunk_infos": flood["chunk_infos"],
            "first_chunk_info_ms": _ms(flood.get("first_chunk_info_us")),
            "last_chunk_info_ms": _ms(flood.get("last_chunk_info_us")),
            "last_chunk_ms": _ms(flood.get("last_chunk_us")),
            "chunks_found": flood.get("chunks_found"), "chunks_missing": flood.get("chunks_missing"),
        }
        if contact in graph.by_name:
            want = topology.expected_flood(graph, contact, ttl, asked)
            row.update({"expected_queries": want["queries"], "expected_peers_reached": want["peers_reached"],
                        "expected_coverage": round(want["coverage"], 4), "expected_duplicates": want["duplicates"],
                        "expected_expired": want["expired"], "expected_chunk_infos": want["chunk_infos"]})
            row["matches_expected"] = all(row[k] == row[f"expected_{k}"] for k in COMPARED)
        rows.append(row)
    return rows


def per_node_load(documents, address_of, graph):
    """Node name -> (queries received, degree) summed over `p2ptrace stats --format json` documents."""
    name_of = {address_of(n): n.name for n in graph.nodes}
    load = {n.name: 0 for n in graph.nodes}
    for document in documents:
        for node in document.get("nodes", []):
            name = name_of.get(node.get("node"))
            if name:
                load[name] += node.get("received", {}).get("query", 0)
    return {name: (count, graph.degree(name)) for name, count in load.items()}
