"""Two runs' key figures side by side (`bench.py --compare OLD NEW`)."""

from bench.printing import fmt


def throughput_figures(tp, figures):
    for mix, summary in tp.items():
        for name, v in summary["servers"].items():
            figures[f"throughput {mix} {name} answers/s"] = v["median_per_s"]
            figures[f"throughput {mix} {name} µs CPU/answer"] = v["server_cpu_us_per_answer"]
        for label, v in summary["ratios"].items():
            figures[f"throughput {mix} {label} ratio"] = v["median"]
            if v.get("cpu_cost_ratio_median") is not None:
                figures[f"throughput {mix} {label} CPU cost ratio"] = v["cpu_cost_ratio_median"]
            figures[f"throughput {mix} {label} CPU ratio"] = v.get("cpu_efficiency_median")


def scale_figures(sc, figures):
    if isinstance(sc, list):  # recorded before the scale section ran the experiment runner
        for r in sc:
            n = r["peers"]
            figures[f"scale {n} ms to last CHUNK_INFO"] = r["ms_to_last_chunk_info_median"]
            figures[f"scale {n} peer CPU ms/flood"] = r["peer_cpu_ms_per_flood"]
            figures[f"scale {n} private MiB/peer"] = r["peer_private_kib_median"] / 1024
            figures[f"scale {n} datagrams lost"] = r["datagrams_lost"]
        return
    for r in sc["sizes"] + [sc["irregular"]]:
        f = r["sequential"]
        figures[f"scale {r['spec']} ms to last CHUNK_INFO"] = f["ms_to_last_chunk_info_median"]
        figures[f"scale {r['spec']} peer CPU ms/flood"] = f["peer_cpu_ms_per_flood"]
        figures[f"scale {r['spec']} PSS MiB/peer"] = f["peer_pss_mib_mean"]
        figures[f"scale {r['spec']} datagrams lost"] = f["datagrams_lost"] + r["burst"]["datagrams_lost"]


def key_figures(results):
    """The figures worth tracking over time, flattened to name → value."""
    figures = {}
    throughput_figures(results.get("throughput", {}).get("summary", {}), figures)
    bc = results.get("bulk_client")
    if bc:
        figures["bulk client s"] = bc["median_wall_s"]
        figures["bulk client µs CPU/chunk"] = bc["median_client_cpu_us_per_chunk"]
        figures["bulk peer µs CPU/chunk"] = bc["median_peer_cpu_us_per_chunk"]
    cl = results.get("client")
    if cl:
        figures["client p1 5,6,7 ms"] = cl["p1_5_6_7"]["median_ms"]
        figures["client process start ms"] = cl["process_start_ms"]["median_ms"]
    if results.get("trace_bench", {}).get("present"):
        figures["trace writer events/s"] = results["trace_bench"].get("events_per_second")
        figures["trace compressed bytes/event"] = results["trace_bench"].get("compressed_bytes_per_event")
    if results.get("replay_bench", {}).get("present"):
        figures["replay vs jq ×"] = results["replay_bench"].get("speedup_vs_jq")
        figures["replay events/s"] = results["replay_bench"].get("replay_events_per_second")
    if results.get("scale"):
        scale_figures(results["scale"], figures)
    return figures


def compare(old, new, out=print):
    a, b = key_figures(old), key_figures(new)
    out(f"{'figure':<48} {old['meta']['started'][:16]:>16} {new['meta']['started'][:16]:>16} {'change':>8}")
    for name in list(a) + [k for k in b if k not in a]:
        x, y = a.get(name), b.get(name)
        numbers = isinstance(x, (int, float)) and isinstance(y, (int, float)) and x
        change = f"{(y - x) / x * 100:+.0f}%" if numbers else ""
        out(f"{name:<48} {fmt(x, 2):>16} {fmt(y, 2):>16} {change:>8}")
