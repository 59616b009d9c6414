"""The scale section's table, growth line and goals."""

from bench.printing import fmt, goal_row

HEADER = (f"   {'graph':<13} {'phase':<10} {'floods ok':>9} {'queries/flood':>13} {'expected':>8} {'reached':>7} "
          f"{'lost':>4} {'missing':>7} {'ms to last CHUNK_INFO p50/p90':>29} {'last chunk ms':>13} "
          f"{'CPU ms/flood':>12} {'PSS MiB/peer':>12} {'RSS MiB/peer':>12} {'run s':>6}")


def row_text(spec, phase, f):
    ok = f"{f['floods_as_expected']}/{f['floods']}"
    times = f"{fmt(f['ms_to_last_chunk_info_median'], 2)}/{fmt(f['ms_to_last_chunk_info_p90'], 2)}"
    return (f"   {spec:<13} {phase:<10} {ok:>9} {fmt(f['queries_per_flood'], 2):>13} "
            f"{fmt(f['expected_queries_per_flood'], 2):>8} {fmt(f['peers_reached_median'], 0):>7} "
            f"{f['datagrams_lost']:>4} {f['chunks_missing']:>7} {times:>29} {fmt(f['ms_to_last_chunk_median'], 2):>13} "
            f"{fmt(f['peer_cpu_ms_per_flood'], 1):>12} {fmt(f['peer_pss_mib_mean'], 2):>12} "
            f"{fmt(f['peer_rss_mib_mean'], 2):>12} {fmt(f['run_s'], 1):>6}")


def size_goals(result, goals):
    spec = result["spec"]
    for phase in ("sequential", "burst"):
        f = result[phase]
        goal_row(goals, f"{spec}: datagrams lost ({phase})", f["datagrams_lost"], "0", f["datagrams_lost"] == 0)
    f = result["sequential"]
    goal_row(goals, f"{spec}: floods = walk tree", f["floods_as_expected"], f"{f['floods']}",
             f["floods_as_expected"] == f["floods"])


def growth_line(lo, hi):
    a, b = lo["sequential"], hi["sequential"]

    def grow(key):
        return fmt(b[key] / a[key], 2) if a.get(key) and b.get(key) is not None else "n/a"

    return (f"   growth {lo['peers']} → {hi['peers']} peers (×{hi['peers'] / lo['peers']:.0f}), sequential: time to "
            f"last CHUNK_INFO ×{grow('ms_to_last_chunk_info_median')}, CPU per flood ×{grow('peer_cpu_ms_per_flood')}"
            f", PSS per peer ×{grow('peer_pss_mib_mean')} (a flood's messages are fixed by degree and ttl; the "
            f"CPU per flood includes every peer's idle time during the phase)")


def report(sc, out, goals):
    if isinstance(sc, list):
        out("\n5. Scale: recorded by the bench before it ran the experiment runner; figures in the JSON only")
        return
    out("\n5. Scale on loopback, measured by Scripts/experiment.py (real clients, p2ptrace stats --floods): random "
        "connected 4-regular graphs and one Barabási–Albert graph, 10 chunks on 2 peers in 5, each flood asks 2")
    out(HEADER)
    results = sc["sizes"] + [sc["irregular"]]
    for result in results:
        for phase in ("sequential", "burst"):
            out(row_text(result["spec"], phase, result[phase]))
        size_goals(result, goals)
    if len(sc["sizes"]) >= 2:
        out(growth_line(sc["sizes"][0], sc["sizes"][-1]))
    ba = sc["irregular"]["sequential"]
    out(f"   {sc['irregular']['spec']}: irregular degrees, so the expected QUERYs differ per flood "
        f"({fmt(ba['expected_queries_min'])}–{fmt(ba['expected_queries_max'])}); on a 4-regular graph every flood "
        "sends 4 + 12 + 36 = 52")
    out("   (floods ok = floods whose QUERYs, peers reached, duplicates, expired and CHUNK_INFOs equal the walk "
        "tree's; lost = datagrams of the floods (QUERY, CHUNK_INFO, GET, RESPONSE) a traced receiver never logged; "
        "times from the contact's receipt of the HELLO; CPU = all peers' CPU over the phase ÷ floods; memory at the "
        "end of the phase, traces on)")
