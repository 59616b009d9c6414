"""Per-flood figures measured from the traces of one experiment step, beside the walk-tree expectation."""

import datetime

import topology

FIELDS = [
    "ttl", "repeat", "flood", "client", "contact", "asked", "degree_contact",
    "queries", "expected_queries", "peers_reached", "expected_peers_reached", "coverage", "expected_coverage",
    "duplicates", "expected_duplicates", "expired", "expected_expired", "lost", "chunk_infos",
    "expected_chunk_infos", "first_chunk_info_ms", "last_chunk_info_ms", "last_chunk_ms", "chunks_found",
    "chunks_missing", "matches_expected",
]


def timestamp_us(text):
    """RFC 3339 UTC with microseconds -> microseconds since the epoch."""
    moment = datetime.datetime.strptime(text.rstrip("Z")[:26], "%Y-%m-%dT%H:%M:%S.%f")
    return int(moment.replace(tzinfo=datetime.timezone.utc).timestamp()) * 1_000_000 + moment.microsecond


def floods(events, graph, address_of, ttl, repeat):
    """One row per client run found in `events` (peer and client trace events of one step).

    `address_of` maps a node name to the ip:port it ran on. Rows are in the order the clients started.
    """
    name_of = {address_of(n): n.name for n in graph.nodes}
    by_client = {}
    for e in events:
        if e.get("role") == "client":
            by_client.setdefault(e.get("node"), []).append(e)
    queries_to = {}
    sent_queries = {}
    # CHUNK_INFOs counted where they are sent: a client that has every chunk exits before late ones arrive.
    chunk_infos_to = {}
    for e in events:
        if e.get("role") == "peer" and e.get("ev") == "send" and e.get("msg") == "chunk_info":
            chunk_infos_to[e.get("to")] = chunk_infos_to.get(e.get("to"), 0) + 1
        if e.get("role") != "peer" or e.get("msg") != "query":
            continue
        if e.get("ev") == "recv":
            queries_to.setdefault(e.get("client"), []).append(e)
        elif e.get("ev") == "send":
            sent_queries[e.get("client")] = sent_queries.get(e.get("client"), 0) + 1
    starts = sorted((e["ts"], client) for client, evs in by_client.items() for e in evs if e.get("ev") == "start")
    rows = []
    for index, (_, client) in enumerate(starts, start=1):
        evs = sorted(by_client[client], key=lambda e: e.get("seq", 0))
        start = next(e for e in evs if e.get("ev") == "start")
        contact = name_of.get(start.get("contact"), start.get("contact"))
        hello = next((e for e in evs if e.get("ev") == "send" and e.get("msg") == "hello"), None)
        asked = sorted(hello.get("chunks") or []) if hello else []
        t0 = timestamp_us(hello["ts"]) if hello else timestamp_us(start["ts"])
        ms = lambda e: round((timestamp_us(e["ts"]) - t0) / 1000, 3)
        infos = [e for e in evs if e.get("ev") == "recv" and e.get("msg") == "chunk_info"]
        saved = [e for e in evs if e.get("ev") == "saved"]
        found = sorted({c for e in saved for c in (e.get("chunks") or [])})
        received = {}
        expired = 0
        for q in queries_to.get(client, []):
            received[q["node"]] = received.get(q["node"], 0) + 1
            if (q.get("ttl") or 0) <= 1:
                expired += 1
        contact_address = start.get("contact")
        queries = sum(received.values())
        row = {
            "ttl": ttl, "repeat": repeat, "flood": index, "client": client, "contact": contact,
            "asked": " ".join(str(c) for c in asked),
            "degree_contact": graph.degree(contact) if contact in graph.by_name else None,
            "queries": queries,
            "peers_reached": len(set(received) | {contact_address}),
            "duplicates": queries - len(set(received) - {contact_address}),
            "expired": expired,
            "lost": sent_queries.get(client, 0) - queries,
            "chunk_infos": chunk_infos_to.get(client, 0),
            "first_chunk_info_ms": ms(infos[0]) if infos else None,
            "last_chunk_info_ms": ms(infos[-1]) if infos else None,
            "last_chunk_ms": ms(saved[-1]) if saved else None,
            "chunks_found": len(found),
            "chunks_missing": len(set(asked) - set(found)),
        }
        row["coverage"] = round(row["peers_reached"] / len(graph.nodes), 4)
        if contact in graph.by_name:
            want = topology.expected_flood(graph, contact, ttl, asked)
            row.update({"expected_queries": want["queries"], "expected_peers_reached": want["peers_reached"],
                        "expected_coverage": round(want["coverage"], 4), "expected_duplicates": want["duplicates"],
                        "expected_expired": want["expired"], "expected_chunk_infos": want["chunk_infos"]})
            row["matches_expected"] = all(row[k] == row[f"expected_{k}"] for k in
                                          ("queries", "peers_reached", "duplicates", "expired", "chunk_infos"))
        rows.append(row)
    return rows


def per_node_load(events, address_of, graph):
    """Node name -> (queries received, degree) over every flood of the events."""
    name_of = {address_of(n): n.name for n in graph.nodes}
    load = {n.name: 0 for n in graph.nodes}
    for e in events:
        if e.get("role") == "peer" and e.get("ev") == "recv" and e.get("msg") == "query":
            name = name_of.get(e.get("node"))
            if name:
                load[name] += 1
    return {name: (count, graph.degree(name)) for name, count in load.items()}
