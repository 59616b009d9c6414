"""The scale section's figures of one experiment run, from its flood rows (floods.json) and the peers' usage."""

from bench.samples import med, pct


def per_flood(values, floods):
    return sum(values) / floods if floods else float("nan")


def figures(rows, usage, floods):
    """Totals and medians over the floods of one run; expected counts are the rows' own (the walk tree)."""
    expected = [r["expected_queries"] for r in rows if r.get("expected_queries") is not None]
    last_info = [r["last_chunk_info_ms"] for r in rows if r.get("last_chunk_info_ms") is not None]
    last_chunk = [r["last_chunk_ms"] for r in rows if r.get("last_chunk_ms") is not None]
    return {
        "floods": floods, "floods_traced": len(rows),
        "floods_as_expected": sum(1 for r in rows if r.get("matches_expected")),
        "queries_per_flood": per_flood([r["queries"] for r in rows], len(rows)),
        "expected_queries_per_flood": per_flood(expected, len(expected)),
        "expected_queries_min": min(expected, default=None), "expected_queries_max": max(expected, default=None),
        "peers_reached_median": med([r["peers_reached"] for r in rows]),
        "duplicates_per_flood": per_flood([r["duplicates"] for r in rows], len(rows)),
        "datagrams_lost": sum(r["lost"] for r in rows),
        "chunks_missing": sum(r.get("chunks_missing") or 0 for r in rows),
        "ms_to_last_chunk_info_median": med(last_info), "ms_to_last_chunk_info_p90": pct(last_info, 0.9),
        "ms_to_last_chunk_median": med(last_chunk),
        "peer_cpu_ms_per_flood": usage.get("peer_cpu_ms_per_flood"),
        "peer_pss_mib_mean": usage.get("pss_mib_mean"), "peer_rss_mib_mean": usage.get("rss_mib_mean"),
    }
