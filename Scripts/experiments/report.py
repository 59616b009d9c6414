"""An experiment's results as files: floods.csv/json, summary.json/txt, plots (PNG and SVG) and index.html."""

import csv
import html
import json
import os

from experiments import resources
from experiments.measure import FIELDS

PLOTS = [
    ("messages_vs_ttl", "Query messages per flood against TTL (measured and expected)"),
    ("coverage_vs_ttl", "Coverage (share of peers reached) against TTL (measured and expected)"),
    ("time_to_last_chunk_cdf", "CDF of the time from HELLO to the last chunk saved"),
    ("messages_per_node", "Queries received per node (load), all floods"),
    ("duplicates_vs_degree", "Duplicate queries per flood against the contact peer's degree"),
]


def write_tables(out, rows):
    with open(os.path.join(out, "floods.csv"), "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    with open(os.path.join(out, "floods.json"), "w", encoding="utf-8") as f:
        json.dump({"schema": "p2p-experiment-floods/1", "floods": rows}, f, indent=1)


def _mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def plot(out, rows, load):
    """Writes the five plots as PNG and SVG; returns their base names."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ttls = sorted({r["ttl"] for r in rows})

    def by_ttl(key):
        return [_mean([r.get(key) for r in rows if r["ttl"] == t]) for t in ttls]

    def save(figure, name):
        for ext in ("png", "svg"):
            figure.savefig(os.path.join(out, f"{name}.{ext}"), dpi=100)
        plt.close(figure)

    for name, key, label in [("messages_vs_ttl", "queries", "query datagrams per flood"),
                             ("coverage_vs_ttl", "coverage", "share of peers reached")]:
        figure, axes = plt.subplots(figsize=(6, 4))
        axes.plot(ttls, by_ttl(key), "o-", label="measured (mean)")
        axes.plot(ttls, by_ttl(f"expected_{key}"), "x--", label="expected (walk tree)")
        axes.set_xlabel("TTL")
        axes.set_ylabel(label)
        axes.set_xticks(ttls)
        axes.legend()
        axes.grid(alpha=0.3)
        save(figure, name)

    figure, axes = plt.subplots(figsize=(6, 4))
    for t in ttls:
        times = sorted(r["last_chunk_ms"] for r in rows if r["ttl"] == t and r.get("last_chunk_ms") is not None)
        if times:
            axes.step(times, [(i + 1) / len(times) for i in range(len(times))], where="post", label=f"TTL {t}")
    axes.set_xlabel("time to last chunk (ms)")
    axes.set_ylabel("share of floods")
    axes.legend()
    axes.grid(alpha=0.3)
    save(figure, "time_to_last_chunk_cdf")

    figure, axes = plt.subplots(figsize=(max(6, min(20, len(load) * 0.08)), 4))
    names = list(load)
    axes.bar(range(len(names)), [load[n][0] for n in names])
    axes.set_xlabel("node (file order)")
    axes.set_ylabel("queries received")
    if len(names) <= 40:
        axes.set_xticks(range(len(names)), names, rotation=90)
    save(figure, "messages_per_node")

    figure, axes = plt.subplots(figsize=(6, 4))
    for t in ttls:
        points = [(r["degree_contact"], r["duplicates"]) for r in rows if r["ttl"] == t and r["degree_contact"]]
        if points:
            axes.scatter([p[0] for p in points], [p[1] for p in points], label=f"TTL {t}", alpha=0.7)
    axes.set_xlabel("contact peer's degree")
    axes.set_ylabel("duplicate queries per flood")
    axes.legend()
    axes.grid(alpha=0.3)
    save(figure, "duplicates_vs_degree")
    return [name for name, _ in PLOTS]


def summary(rows, settings):
    """Totals per TTL and the settings, as a dict."""
    per_ttl = {}
    for t in sorted({r["ttl"] for r in rows}):
        mine = [r for r in rows if r["ttl"] == t]
        per_ttl[str(t)] = {
            "floods": len(mine),
            "queries": sum(r["queries"] for r in mine),
            "expected_queries": sum(r.get("expected_queries") or 0 for r in mine),
            "lost": sum(r["lost"] for r in mine),
            "matching_expected": sum(1 for r in mine if r.get("matches_expected")),
            "mean_coverage": _mean([r["coverage"] for r in mine]),
            "mean_last_chunk_ms": _mean([r["last_chunk_ms"] for r in mine]),
        }
    return {"settings": settings, "per_ttl": per_ttl}


def summary_text(result):
    s = result["settings"]
    lines = [f"experiment {s['name']}: {s['topology']} ({s['nodes']} peers) on {s['where']}, "
             f"{s['floods']} floods x {s['repeat']} repeat(s), seed {s['seed']}",
             f"loss: {s['loss']} ({s['loss_method']}); delay: {s['delay']} ({s['delay_method']})"]
    if s.get("link_shaping", "none") != "none":
        lines.append(f"per-link loss and delay: {s['link_shaping']}")
    for t, v in result["per_ttl"].items():
        lines.append(f"ttl {t}: {v['floods']} floods, {v['queries']} queries (expected {v['expected_queries']}), "
                     f"{v['lost']} lost, {v['matching_expected']}/{v['floods']} floods as expected, "
                     f"mean coverage {v['mean_coverage']:.3f}")
    lines += [f"capture: {c}" for c in s.get("captures", [])]
    lines += [f"resources ttl {u['ttl']} repeat {u['repeat']}: {resources.text(u)}" for u in s.get("resources", [])]
    return "\n".join(lines) + "\n"


def index_html(out, rows, result, plots, replay_pages):
    """The run's front page: settings, plots, the tables and each flood's replay page."""
    e = html.escape
    s = result["settings"]
    parts = ["<!doctype html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
             f"<title>Experiment {e(s['name'])}</title>",
             "<style>body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;"
             "font-size:small}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
             "img{max-width:560px;margin:4px;border:1px solid #eee}.bad{background:#fdd}</style></head><body>",
             f"<h1>Experiment {e(s['name'])}</h1>", f"<pre id=\"summary\">{e(summary_text(result))}</pre>",
             "<p>Tables: <a href=\"floods.csv\">floods.csv</a>, <a href=\"floods.json\">floods.json</a>, "
             "<a href=\"summary.json\">summary.json</a>, <a href=\"topology.json\">topology.json</a></p>",
             "<h2>Plots</h2><div id=\"plots\">"]
    titles = dict(PLOTS)
    for name in plots:
        parts.append(f"<figure style=\"display:inline-block\"><a href=\"{name}.svg\"><img src=\"{name}.png\" "
                     f"alt=\"{e(titles[name])}\"></a><figcaption>{e(titles[name])}</figcaption></figure>")
    parts.append("</div><h2>Floods</h2><table id=\"floods\"><tr>")
    columns = ["ttl", "repeat", "flood", "client", "contact", "queries", "expected_queries", "peers_reached",
               "expected_peers_reached", "duplicates", "lost", "chunk_infos", "last_chunk_ms", "chunks_found",
               "chunks_missing"]
    parts += [f"<th>{e(c)}</th>" for c in columns] + ["<th>replay</th></tr>"]
    for row in rows:
        bad = "" if row.get("matches_expected") else " class=\"bad\""
        cells = "".join(f"<td>{e('' if row.get(c) is None else str(row.get(c)))}</td>" for c in columns)
        page = replay_pages.get((row["ttl"], row["repeat"], row["flood"]))
        link = f"<a href=\"{e(page)}\">replay</a>" if page else ""
        parts.append(f"<tr{bad}>{cells}<td>{link}</td></tr>")
    parts.append("</table></body></html>")
    with open(os.path.join(out, "index.html"), "w", encoding="utf-8") as f:
        f.write("\n".join(parts) + "\n")
