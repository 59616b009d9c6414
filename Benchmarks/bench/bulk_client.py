"""Section 2b: one client fetching many chunks from one peer: the client's receive path under a burst of RESPONSEs.

The peer holds chunk ids 1..N (each the same 1 KiB course chunk) and runs with --response-rate-limit 0 (one client
asks for N answers at once; the default budget would pace them at 2048 a second). The client says HELLO, gets one
CHUNK_INFO with every id and sends one GET for all of them; RESPONSEs its socket could not hold are asked again
after --retry-interval. Figures: wall time, chunks/s, CPU µs per chunk of the client and of the peer, and how many
chunks were missing at the end. The chunk files go to /dev/shm when there is one: on ext4, creating 10,000 files in
one folder costs ten times the whole receive path and hides it.
"""

import os
import shutil
import tempfile

from bench.printing import fmt, goal_row
from bench.processes import Proc, child_cpu, run_timed
from bench.samples import med
from bench.serving import wait_serving


def make_bulk_peer_folder(cfg, work):
    """WORK/bulk with one course chunk and a key-values file naming it under ids 1..N."""
    folder = os.path.join(work, "bulk")
    os.makedirs(folder)
    os.symlink(os.path.join(cfg.course, "Chunks", "BigBuckBunny_1.m4s"), os.path.join(folder, "chunk.m4s"))
    with open(os.path.join(folder, "kv"), "w") as f:
        f.write("\n".join(f"{i}: chunk.m4s" for i in range(1, cfg.bulk_chunks + 1)) + "\n")
    return os.path.join(folder, "kv")


def fetch_round(cfg, peer, address, out_root, rnd):
    """One client run fetching every chunk: its figures. CPU is utime + stime of the whole process: schedstat
    sums only live threads, and the peer's idle NIO and dispatch threads come and go during a run."""
    n = cfg.bulk_chunks
    out_dir = os.path.join(out_root, "bulk-out")
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    ids = ",".join(str(i) for i in range(1, n + 1))
    peer_cpu0, client_cpu0 = peer.cpu_seconds(), child_cpu()
    status, _, _, wall = run_timed([os.path.join(cfg.bin_dir, "client"), address, ids, "--output-dir", out_dir], 120)
    client_cpu = child_cpu() - client_cpu0
    peer_cpu = peer.cpu_seconds() - peer_cpu0
    files = sum(1 for f in os.listdir(out_dir) if f.endswith(".m4s"))
    return {"round": rnd, "status": status, "wall_s": round(wall, 3), "chunks_saved": files, "missing": n - files,
            "chunks_per_second": files / wall if wall > 0 else float("nan"),
            "client_cpu_us_per_chunk": client_cpu / max(files, 1) * 1e6,
            "peer_cpu_us_per_chunk": peer_cpu / max(files, 1) * 1e6,
            "client_cpu_s": client_cpu, "peer_cpu_s": peer_cpu}


def run(cfg, work, log):
    n = cfg.bulk_chunks
    kv = make_bulk_peer_folder(cfg, work)
    address = f"127.0.0.1:{cfg.base_port + 10}"
    shm = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    out_root = tempfile.mkdtemp(prefix="p2p-bulk-", dir=shm) if shm else work
    peer = Proc([os.path.join(cfg.bin_dir, "peer"), address, kv, "--response-rate-limit", "0"],
                os.path.join(work, "bulk-peer.log"))
    runs = []
    try:
        if not wait_serving(cfg.bin_dir, address, 1, seconds=60):
            raise RuntimeError(f"bulk peer never served: {peer.output()[-2000:]}")
        log(f"  peer holds {n} chunks, runs with --response-rate-limit 0 (one client takes {n} answers at once)")
        log(f"  chunk files written under {out_root}")
        for rnd in range(cfg.bulk_rounds):
            r = fetch_round(cfg, peer, address, out_root, rnd)
            runs.append(r)
            log(f"  round {rnd + 1}/{cfg.bulk_rounds}: {r['chunks_saved']}/{n} chunks in {r['wall_s']:.2f} s, "
                f"client CPU {r['client_cpu_s']:.2f} s, peer CPU {r['peer_cpu_s']:.2f} s")
    finally:
        peer.stop()
        if shm:
            shutil.rmtree(out_root, ignore_errors=True)
    return {"chunks": n, "runs": runs, "output_folder": "/dev/shm" if shm else "bench work folder",
            "median_wall_s": med([r["wall_s"] for r in runs]),
            "median_chunks_per_second": med([r["chunks_per_second"] for r in runs]),
            "median_client_cpu_us_per_chunk": med([r["client_cpu_us_per_chunk"] for r in runs]),
            "median_peer_cpu_us_per_chunk": med([r["peer_cpu_us_per_chunk"] for r in runs]),
            "missing_total": sum(r["missing"] for r in runs)}


def report(bc, out, goals):
    out(f"\n2b. One client fetching {bc['chunks']} chunks from one peer on loopback (peer --response-rate-limit 0; "
        f"files in {bc.get('output_folder', '?')})")
    out(f"   median {bc['median_wall_s']:.2f} s, {fmt(bc['median_chunks_per_second'], 0)} chunks/s, client "
        f"{fmt(bc['median_client_cpu_us_per_chunk'], 2)} µs CPU/chunk (files included), peer "
        f"{fmt(bc['median_peer_cpu_us_per_chunk'], 2)} µs CPU/chunk; missing {bc['missing_total']} over "
        f"{len(bc['runs'])} runs")
    goal_row(goals, f"bulk client: chunks missing ({len(bc['runs'])} runs)", bc["missing_total"], "0",
             bc["missing_total"] == 0)
