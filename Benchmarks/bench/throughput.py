"""Section 1: answers per second of the C responders and of our peer (plain, traced, with /metrics) under p2pload.

Servers are loaded in alternating rounds; ratios are taken between runs of the same round.
"""

import json
import os

from bench.printing import fmt, goal_row
from bench.processes import Proc, child_cpu, run_timed
from bench.samples import med
from bench.serving import wait_serving

RATIOS = (("peer_vs_c", "peer", "c"), ("peer_vs_c_batched", "peer", "c-batched"),
          ("traced_vs_peer", "peer-traced", "peer"), ("metrics_vs_peer", "peer-metrics", "peer"))


def server_argvs(cfg, work, data):
    """Server name -> (port, argv). One generator address asks for hundreds of thousands of answers a second: a
    load run, not a user, so the peers' per-address response budget is off (the default caps it at 2048/s)."""
    port0 = cfg.base_port
    kv = os.path.join(data, "key-values-files_peer2")  # holds chunks 1 and 2
    chunk_file = os.path.join(data, "BigBuckBunny_1.m4s")
    trace_dir = os.path.join(work, "throughput-traces")
    os.makedirs(trace_dir, exist_ok=True)
    peer = os.path.join(cfg.bin_dir, "peer")
    unlimited = ["--response-rate-limit", "0"]
    compressor = ["--trace-compressor", cfg.trace_compressor] if cfg.trace_compressor else []
    return {
        "c": (port0, [cfg.c_responder, "127.0.0.1", str(port0), chunk_file, "1,2"]),
        "c-batched": (port0 + 4, [cfg.c_responder_batched, "127.0.0.1", str(port0 + 4), chunk_file, "1,2"]),
        "peer": (port0 + 1, [peer, f"127.0.0.1:{port0 + 1}", kv] + unlimited),
        "peer-traced": (port0 + 2, [peer, f"127.0.0.1:{port0 + 2}", kv, "--trace-dir", trace_dir] + unlimited
                        + compressor),
        "peer-metrics": (port0 + 3, [peer, f"127.0.0.1:{port0 + 3}", kv, "--metrics", "127.0.0.1:0"] + unlimited),
    }, trace_dir


def load_once(cfg, proc, port, mix, rnd):
    """One p2pload run against one server: its JSON figures plus the server's and the generator's CPU."""
    argv = [os.path.join(cfg.bin_dir, "p2pload"), f"127.0.0.1:{port}", "--mix", mix, "--chunk", "1",
            "--sockets", str(cfg.sockets), "--threads", str(cfg.threads), "--window", str(cfg.window),
            "--duration", str(cfg.duration)]
    server_cpu0, gen_cpu0 = proc.cpu_ns(), child_cpu()
    status, out, err, _ = run_timed(argv, cfg.duration + 30)
    gen_cpu = child_cpu() - gen_cpu0
    server_cpu = (proc.cpu_ns() - server_cpu0) / 1e9
    try:
        result = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise RuntimeError(f"p2pload failed ({status}): {err}") from None
    answers = max(result["answers"], 1)
    return {"round": rnd, "mix": mix, **result, "server_cpu_s": round(server_cpu, 3),
            "generator_cpu_s": round(gen_cpu, 3), "server_cpu_us_per_answer": round(server_cpu / answers * 1e6, 3)}


def load_rounds(cfg, procs, ports, log):
    """cfg.rounds rounds; each loads every server with every mix, the servers' order rotated per round."""
    runs = []
    order = list(procs)
    for rnd in range(cfg.rounds):
        rotated = order[rnd % len(order):] + order[: rnd % len(order)]
        for mix in cfg.mixes:
            for name in rotated:
                run = dict(load_once(cfg, procs[name], ports[name], mix, rnd), server=name)
                runs.append(run)
                log(f"  round {rnd + 1}/{cfg.rounds} {mix:<11} {name:<13} {run['answers_per_second']:>10.0f}/s"
                    f"  lost {run['lost']}  server cpu {run['server_cpu_s']:.2f}s")
    return runs


def run(cfg, work, data, log):
    servers, trace_dir = server_argvs(cfg, work, data)
    log("  peers run with --response-rate-limit 0 (load test: one address takes every answer)")
    procs = {}
    try:
        for name, (_, argv) in servers.items():
            procs[name] = Proc(argv, os.path.join(work, f"throughput-{name}.log"))
        ports = {name: port for name, (port, _) in servers.items()}
        for name in servers:
            if not wait_serving(cfg.bin_dir, f"127.0.0.1:{ports[name]}", 1):
                raise RuntimeError(f"{name} never answered a GET: {procs[name].output()[-2000:]}")
        runs = load_rounds(cfg, procs, ports, log)
        for name, proc in procs.items():
            if not proc.alive():
                raise RuntimeError(f"{name} died during the benchmark: {proc.output()[-2000:]}")
        trace_files = os.listdir(trace_dir)
        trace_bytes = sum(os.path.getsize(os.path.join(trace_dir, f)) for f in trace_files)
    finally:
        for proc in procs.values():
            proc.stop()
    return {"settings": {"rounds": cfg.rounds, "duration_s": cfg.duration, "sockets": cfg.sockets,
                         "trace_compressor": cfg.trace_compressor or "default", "threads": cfg.threads,
                         "window": cfg.window, "mixes": cfg.mixes, "chunk_bytes": 1024},
            "summary": {mix: summarize_mix(runs, mix, list(servers), cfg.rounds) for mix in cfg.mixes},
            "runs": runs, "trace_output": {"files": len(trace_files), "bytes": trace_bytes}}


def summarize_mix(runs, mix, names, rounds):
    """Per server the median, spread, loss and CPU per answer of one mix; the per-round ratios of RATIOS."""
    per = {}
    for name in names:
        mine = [r for r in runs if r["mix"] == mix and r["server"] == name]
        rates = [r["answers_per_second"] for r in mine]
        per[name] = {"median_per_s": med(rates), "min_per_s": min(rates), "max_per_s": max(rates),
                     "lost_total": sum(r["lost"] for r in mine),
                     "server_cpu_us_per_answer": med([r["server_cpu_us_per_answer"] for r in mine])}
    return {"servers": per, "ratios": {label: ratio(runs, mix, num, den, rounds) for label, num, den in RATIOS}}


def ratio(runs, mix, num, den, rounds):
    """num/den answers per second and den/num CPU per answer, each taken within a round, then their medians."""
    def value(server, rnd, key):
        found = [r[key] for r in runs if r["mix"] == mix and r["server"] == server and r["round"] == rnd]
        return found[0] if found else None

    per_round, cost_ratio = [], []
    for rnd in range(rounds):
        a, b = value(num, rnd, "answers_per_second"), value(den, rnd, "answers_per_second")
        if a is not None and b:
            per_round.append(a / b)
        a, b = value(num, rnd, "server_cpu_us_per_answer"), value(den, rnd, "server_cpu_us_per_answer")
        if a and b is not None:
            cost_ratio.append(b / a)
    return {"median": med(per_round), "per_round": [round(x, 3) for x in per_round],
            "cpu_efficiency_median": med(cost_ratio), "cpu_efficiency_per_round": [round(x, 3) for x in cost_ratio],
            "cpu_cost_ratio_median": med([1 / x for x in cost_ratio if x > 0])}


def report(tp, out, goals):
    s = tp["settings"]
    out(f"\n1. Peer throughput on loopback, 1 KiB chunks  (p2pload: {s['sockets']} sockets, window {s['window']}, "
        f"{s['threads']} thread; {s['rounds']} alternating rounds of {s['duration_s']} s; medians)")
    out(f"   {'mix':<8} {'server':<13} {'answers/s':>11} {'min':>10} {'max':>10} {'lost':>6} "
        f"{'server µs CPU/answer':>21}")
    for mix, summary in tp["summary"].items():
        for name, v in summary["servers"].items():
            out(f"   {mix:<8} {name:<13} {fmt(v['median_per_s'], 0):>11} {fmt(v['min_per_s'], 0):>10} "
                f"{fmt(v['max_per_s'], 0):>10} {v['lost_total']:>6} {fmt(v['server_cpu_us_per_answer'], 2):>21}")
        report_ratios(mix, summary["ratios"], out)
    report_goals(tp["summary"].get("get", {}).get("ratios"), goals)
    out(f"   trace output of the traced peer: {tp['trace_output']['files']} file(s), "
        f"{tp['trace_output']['bytes']:,} bytes")


def report_ratios(mix, r, out):
    out(f"   {mix:<8} throughput ratios (median of per-round ratios): peer/C {fmt(r['peer_vs_c']['median'], 2)}  "
        f"traced/untraced {fmt(r['traced_vs_peer']['median'], 2)}  "
        f"metrics/plain {fmt(r['metrics_vs_peer']['median'], 2)}")
    out(f"   {mix:<8} CPU-cost ratios (inverse µs/answer, less noisy):   "
        f"peer/C {fmt(r['peer_vs_c']['cpu_efficiency_median'], 2)}  "
        f"traced/untraced {fmt(r['traced_vs_peer']['cpu_efficiency_median'], 2)}  "
        f"metrics/plain {fmt(r['metrics_vs_peer']['cpu_efficiency_median'], 2)}")
    if "peer_vs_c_batched" in r:
        b = r["peer_vs_c_batched"]
        out(f"   {mix:<8} vs the batched C responder: peer µs/answer ÷ batched C µs/answer "
            f"{fmt(b['cpu_cost_ratio_median'], 2)} (per round "
            f"{[round(1 / x, 2) for x in b['cpu_efficiency_per_round'] if x > 0]}); "
            f"answers/s peer/batched C {fmt(b['median'], 2)}")


def report_goals(g, goals):
    if not g:
        return
    v = g["peer_vs_c"]["median"]
    goal_row(goals, "peer GET throughput vs C responder", round(v, 3), "≥ 0.5", v >= 0.5, "×")
    if "peer_vs_c_batched" in g:
        v = g["peer_vs_c_batched"]["cpu_cost_ratio_median"]
        goal_row(goals, "peer CPU/answer ÷ batched C's (GET)", round(v, 3), "≤ 1.15", v <= 1.15, "×")
    v = g["traced_vs_peer"]["median"]
    goal_row(goals, "peer traced vs untraced (GET)", round(v, 3), "≥ 0.9", v >= 0.9, "×")
    v = g["peer_vs_c"]["cpu_efficiency_median"]
    goal_row(goals, "  same, by CPU per answer: peer vs C", round(v, 3), "≥ 0.5", v >= 0.5, "×")
    v = g["traced_vs_peer"]["cpu_efficiency_median"]
    goal_row(goals, "  same, by CPU per answer: traced vs untraced", round(v, 3), "≥ 0.9", v >= 0.9, "×")
