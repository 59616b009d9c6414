#!/usr/bin/env python3
"""The benchmark suite's driver. Run it through Scripts/bench.sh, which builds what it needs first.

Prints a table of figures (medians over repeated, alternating runs; ratios taken side by side in the same round)
and writes the same figures as JSON. Asserts nothing: goals are reported as met or not.
"""
import argparse
import datetime
import json
import os
import random
import re
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

CLK_TCK = os.sysconf("SC_CLK_TCK")
COURSE = None  # set in main: the course data folder


# ---------------------------------------------------------------------------------------------------------------
# processes


class Proc:
    """A server process we started; stopped with SIGTERM (then SIGKILL) by its pid only."""

    def __init__(self, argv, log_path, cwd=None):
        self.argv = argv
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.popen = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT, cwd=cwd)
        self.pid = self.popen.pid

    def cpu_seconds(self):
        """utime + stime of every thread so far, from /proc/<pid>/stat."""
        try:
            with open(f"/proc/{self.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / CLK_TCK
        except (OSError, IndexError, ValueError):
            return float("nan")

    def cpu_ns(self):
        """CPU time of every thread in nanoseconds, from /proc/<pid>/task/*/schedstat (finer than clock ticks)."""
        total = 0
        try:
            for task in os.listdir(f"/proc/{self.pid}/task"):
                try:
                    with open(f"/proc/{self.pid}/task/{task}/schedstat") as f:
                        total += int(f.read().split()[0])
                except (OSError, ValueError, IndexError):
                    pass
        except OSError:
            return float("nan")
        return total

    def private_kib(self):
        """Memory this process alone holds (Private_Clean + Private_Dirty) and its PSS, in KiB."""
        private = pss = float("nan")
        try:
            with open(f"/proc/{self.pid}/smaps_rollup") as f:
                values = {line.split(":")[0]: int(line.split()[1]) for line in f if line.split()[1:2] and line.split()[1].isdigit()}
            private = values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
            pss = values.get("Pss", float("nan"))
        except (OSError, ValueError, IndexError):
            pass
        return private, pss

    def memory_kib(self):
        """(VmRSS, VmHWM) in KiB, from /proc/<pid>/status."""
        rss = hwm = float("nan")
        try:
            with open(f"/proc/{self.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss = int(line.split()[1])
                    elif line.startswith("VmHWM:"):
                        hwm = int(line.split()[1])
        except OSError:
            pass
        return rss, hwm

    def alive(self):
        return self.popen.poll() is None

    def stop(self, wait=5.0):
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(wait)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self.log.close()

    def output(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""


def run_timed(argv, timeout, cwd=None):
    """Runs a command to completion: (exit status, stdout, stderr, wall seconds, cpu seconds of the child)."""
    start = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
    wall = time.perf_counter() - start
    return p.returncode, out.decode(errors="replace"), err.decode(errors="replace"), wall


def child_cpu():
    usage = os.times()
    return usage.children_user + usage.children_system


# ---------------------------------------------------------------------------------------------------------------
# protocol helpers (the driver's own tiny client)


def encode_list(msg_type, ids):
    return struct.pack(f">HH{len(ids)}H", msg_type, len(ids), *ids)


def decode_list(datagram):
    if len(datagram) < 4:
        return None, []
    msg_type, count = struct.unpack_from(">HH", datagram)
    if msg_type != 3 or len(datagram) != 4 + 2 * count:
        return msg_type, None
    return msg_type, list(struct.unpack_from(f">{count}H", datagram, 4))


def wait_serving(address, chunk, seconds=10.0, bind_ip="127.0.0.1"):
    """Sends GETs until the server answers with a RESPONSE (True) or the time is up (False)."""
    ip, port = address.rsplit(":", 1)
    deadline = time.monotonic() + seconds
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((bind_ip, 0))
        s.settimeout(0.05)
        while time.monotonic() < deadline:
            s.sendto(encode_list(4, [chunk]), (ip, int(port)))
            try:
                data, _ = s.recvfrom(70000)
                if len(data) >= 6 and struct.unpack_from(">H", data)[0] == 5:
                    return True
            except socket.timeout:
                pass
    return False


def make_data_folder(root):
    """A folder with the course chunks and key-values files side by side (as the tests make it)."""
    data = os.path.join(root, "data")
    os.makedirs(data, exist_ok=True)
    for sub in ("Chunks", "Key-values-files"):
        src = os.path.join(COURSE, sub)
        for name in sorted(os.listdir(src)):
            os.symlink(os.path.join(src, name), os.path.join(data, name))
    return data


def med(values):
    values = [v for v in values if v == v]
    return statistics.median(values) if values else float("nan")


def pct(values, fraction):
    values = sorted(v for v in values if v == v)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int((len(values) - 1) * fraction + 0.5))]


# ---------------------------------------------------------------------------------------------------------------
# 1. throughput


def bench_throughput(cfg, bin_dir, work, data, log):
    port0 = cfg.base_port
    kv = os.path.join(data, "key-values-files_peer2")  # holds chunks 1 and 2
    chunk_file = os.path.join(data, "BigBuckBunny_1.m4s")
    trace_dir = os.path.join(work, "throughput-traces")
    os.makedirs(trace_dir, exist_ok=True)
    # One generator address asks for hundreds of thousands of answers a second: a load run, not a user, so the
    # peers' per-address response budget is switched off (the default would cap each peer at 2048 answers/s).
    unlimited = ["--response-rate-limit", "0"]
    log("  peers run with --response-rate-limit 0 (load test: one address takes every answer)")
    variants = {
        "c": [cfg.c_responder, "127.0.0.1", str(port0), chunk_file, "1,2"],
        "c-batched": [cfg.c_responder_batched, "127.0.0.1", str(port0 + 4), chunk_file, "1,2"],
        "peer": [os.path.join(bin_dir, "peer"), f"127.0.0.1:{port0 + 1}", kv] + unlimited,
        "peer-traced": [os.path.join(bin_dir, "peer"), f"127.0.0.1:{port0 + 2}", kv, "--trace-dir", trace_dir]
        + unlimited + (["--trace-compressor", cfg.trace_compressor] if cfg.trace_compressor else []),
        "peer-metrics": [os.path.join(bin_dir, "peer"), f"127.0.0.1:{port0 + 3}", kv, "--metrics", "127.0.0.1:0"]
        + unlimited,
    }
    addresses = {"c": port0, "peer": port0 + 1, "peer-traced": port0 + 2, "peer-metrics": port0 + 3,
                 "c-batched": port0 + 4}
    procs = {}
    try:
        for name, argv in variants.items():
            procs[name] = Proc(argv, os.path.join(work, f"throughput-{name}.log"))
        for name in variants:
            if not wait_serving(f"127.0.0.1:{addresses[name]}", 1):
                raise RuntimeError(f"{name} never answered a GET: {procs[name].output()[-2000:]}")
        runs = []
        order = list(variants)
        for rnd in range(cfg.rounds):
            rotated = order[rnd % len(order):] + order[: rnd % len(order)]
            for mix in cfg.mixes:
                for name in rotated:
                    argv = [os.path.join(bin_dir, "p2pload"), f"127.0.0.1:{addresses[name]}", "--mix", mix,
                            "--chunk", "1", "--sockets", str(cfg.sockets), "--threads", str(cfg.threads),
                            "--window", str(cfg.window), "--duration", str(cfg.duration)]
                    server_cpu0 = procs[name].cpu_ns()
                    gen_cpu0 = child_cpu()
                    status, out, err, wall = run_timed(argv, cfg.duration + 30)
                    gen_cpu = child_cpu() - gen_cpu0
                    server_cpu = (procs[name].cpu_ns() - server_cpu0) / 1e9
                    try:
                        result = json.loads(out.strip().splitlines()[-1])
                    except (ValueError, IndexError):
                        raise RuntimeError(f"p2pload failed ({status}): {err}")
                    answers = max(result["answers"], 1)
                    runs.append({"round": rnd, "mix": mix, "server": name, **result,
                                 "server_cpu_s": round(server_cpu, 3), "generator_cpu_s": round(gen_cpu, 3),
                                 "server_cpu_us_per_answer": round(server_cpu / answers * 1e6, 3)})
                    log(f"  round {rnd + 1}/{cfg.rounds} {mix:<11} {name:<13} {result['answers_per_second']:>10.0f}/s"
                        f"  lost {result['lost']}  server cpu {server_cpu:.2f}s")
        for name, proc in procs.items():
            if not proc.alive():
                raise RuntimeError(f"{name} died during the benchmark: {proc.output()[-2000:]}")
        trace_bytes = sum(os.path.getsize(os.path.join(trace_dir, f)) for f in os.listdir(trace_dir))
        trace_files = len(os.listdir(trace_dir))
    finally:
        for proc in procs.values():
            proc.stop()
    summary = {}
    for mix in cfg.mixes:
        per = {}
        for name in variants:
            rates = [r["answers_per_second"] for r in runs if r["mix"] == mix and r["server"] == name]
            per[name] = {
                "median_per_s": med(rates), "min_per_s": min(rates), "max_per_s": max(rates),
                "lost_total": sum(r["lost"] for r in runs if r["mix"] == mix and r["server"] == name),
                "server_cpu_us_per_answer": med([r["server_cpu_us_per_answer"] for r in runs
                                                 if r["mix"] == mix and r["server"] == name]),
            }
        ratios = {}
        for label, num, den in (("peer_vs_c", "peer", "c"), ("peer_vs_c_batched", "peer", "c-batched"),
                                ("traced_vs_peer", "peer-traced", "peer"), ("metrics_vs_peer", "peer-metrics", "peer")):
            per_round = []
            for rnd in range(cfg.rounds):
                a = [r["answers_per_second"] for r in runs if r["mix"] == mix and r["server"] == num and r["round"] == rnd]
                b = [r["answers_per_second"] for r in runs if r["mix"] == mix and r["server"] == den and r["round"] == rnd]
                if a and b and b[0] > 0:
                    per_round.append(a[0] / b[0])
            cost_ratio = []
            for rnd in range(cfg.rounds):
                a = [r["server_cpu_us_per_answer"] for r in runs if r["mix"] == mix and r["server"] == num and r["round"] == rnd]
                b = [r["server_cpu_us_per_answer"] for r in runs if r["mix"] == mix and r["server"] == den and r["round"] == rnd]
                if a and b and a[0] > 0:
                    cost_ratio.append(b[0] / a[0])
            ratios[label] = {"median": med(per_round), "per_round": [round(x, 3) for x in per_round],
                             "cpu_efficiency_median": med(cost_ratio),
                             "cpu_efficiency_per_round": [round(x, 3) for x in cost_ratio],
                             "cpu_cost_ratio_median": med([1 / x for x in cost_ratio if x > 0])}
        summary[mix] = {"servers": per, "ratios": ratios}
    return {"settings": {"rounds": cfg.rounds, "duration_s": cfg.duration, "sockets": cfg.sockets,
                         "trace_compressor": cfg.trace_compressor or "default",
                         "threads": cfg.threads, "window": cfg.window, "mixes": cfg.mixes, "chunk_bytes": 1024},
            "summary": summary, "runs": runs,
            "trace_output": {"files": trace_files, "bytes": trace_bytes}}


# ---------------------------------------------------------------------------------------------------------------
# 2. client end to end on the course topology


def course_graph():
    """Peer number -> neighbour numbers and -> a chunk it holds, from Topologies/course.json."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Scripts"))
    import topology

    course = topology.load(topology.COURSE_FILE)
    number = lambda name: int(name.lstrip("p"))
    neighbours = {number(n.name): [number(m) for m in course.neighbours[n.name]] for n in course.nodes}
    return neighbours, {number(n.name): n.chunks[0] for n in course.nodes}


COURSE_NEIGHBOURS, COURSE_HELD = course_graph()


def bench_client(cfg, bin_dir, work, data, log):
    prefix = cfg.course_prefix
    addr = lambda n: f"{prefix}.{n}:{5000 + n}"
    procs = {}
    result = {}
    try:
        for n in COURSE_NEIGHBOURS:
            argv = [os.path.join(bin_dir, "peer"), addr(n), os.path.join(data, f"key-values-files_peer{n}")]
            argv += [addr(m) for m in COURSE_NEIGHBOURS[n]]
            procs[n] = Proc(argv, os.path.join(work, f"course-peer{n}.log"))
        for n in COURSE_NEIGHBOURS:
            if not wait_serving(addr(n), COURSE_HELD[n]):
                raise RuntimeError(f"course peer {n} never served: {procs[n].output()[-2000:]}")
        client = os.path.join(bin_dir, "client")

        startup = []
        for _ in range(5):
            startup.append(run_timed([client, "--help"], 30)[3])

        def one(contact, ids, out_dir):
            shutil.rmtree(out_dir, ignore_errors=True)
            os.makedirs(out_dir)
            status, out, err, wall = run_timed([client, addr(contact), ids, "--output-dir", out_dir], 60)
            files = sorted(f for f in os.listdir(out_dir) if f.endswith(".m4s"))
            logs = [f for f in os.listdir(out_dir) if f.startswith("output-")]
            lines = open(os.path.join(out_dir, logs[0])).read().split("\n") if logs else []
            return status, wall, files, [l for l in lines if l.strip()], err

        out_dir = os.path.join(work, "client-out")
        for _ in range(2):
            one(1, "5,6,7", out_dir)  # warm the page cache and the peers
        walls = []
        ok = 0
        for i in range(cfg.client_runs):
            status, wall, files, lines, err = one(1, "5,6,7", out_dir)
            walls.append(wall)
            if status == 0 and files == ["chunk5.m4s", "chunk6.m4s", "chunk7.m4s"] and len(lines) == 3:
                ok += 1
        log(f"  client p1 5,6,7: median {med(walls) * 1000:.1f} ms over {len(walls)} runs, {ok} correct")
        result["p1_5_6_7"] = {"runs": len(walls), "correct_runs": ok, "median_ms": med(walls) * 1000,
                              "p90_ms": pct(walls, 0.9) * 1000, "min_ms": min(walls) * 1000,
                              "max_ms": max(walls) * 1000, "all_ms": [round(w * 1000, 2) for w in walls]}
        result["process_start_ms"] = {"median_ms": med(startup) * 1000,
                                      "note": "wall time of `client --help`: process start and exit alone"}

        walls4 = []
        details = None
        for _ in range(cfg.client_p4_runs):
            status, wall, files, lines, err = one(4, "1,3,4,5,9", out_dir)
            walls4.append(wall)
            details = {"status": status, "files": files, "log": lines}
        log(f"  client p4 1,3,4,5,9: median {med(walls4):.2f} s (waits out its 5 s timeout: chunk 4 exists nowhere)")
        result["p4_1_3_4_5_9"] = {"runs": len(walls4), "median_s": med(walls4), "all_s": [round(w, 3) for w in walls4],
                                  "last_run": details,
                                  "note": "chunk 4 is held by no peer, so the client ends only after its default "
                                          "5 s timeout with no datagram; the time is the timeout, not the protocol"}
    finally:
        for proc in procs.values():
            proc.stop()
    return result


def bench_bulk_client(cfg, bin_dir, work, log):
    """One client fetching many chunks from one peer: the client's receive path under a burst of RESPONSEs.

    The peer holds chunk ids 1..N (each the same 1 KiB course chunk) and runs with --response-rate-limit 0 (one
    client asks for N answers at once; the default budget would pace them at 2048 a second). The client says HELLO,
    gets one CHUNK_INFO with every id and sends one GET for all of them; RESPONSEs its socket could not hold are
    asked again after --retry-interval. Figures: wall time, chunks/s, CPU µs per chunk of the client and of the
    peer, and how many chunks were missing at the end. The chunk files go to /dev/shm when there is one: on ext4,
    creating 10,000 files in one folder costs ten times the whole receive path and hides it.
    """
    n = cfg.bulk_chunks
    folder = os.path.join(work, "bulk")
    os.makedirs(folder)
    os.symlink(os.path.join(COURSE, "Chunks", "BigBuckBunny_1.m4s"), os.path.join(folder, "chunk.m4s"))
    with open(os.path.join(folder, "kv"), "w") as f:
        f.write("\n".join(f"{i}: chunk.m4s" for i in range(1, n + 1)) + "\n")
    address = f"127.0.0.1:{cfg.base_port + 10}"
    peer = Proc([os.path.join(bin_dir, "peer"), address, os.path.join(folder, "kv"), "--response-rate-limit", "0"],
                os.path.join(work, "bulk-peer.log"))
    ids = ",".join(str(i) for i in range(1, n + 1))
    runs = []
    shm = None
    try:
        if not wait_serving(address, 1, seconds=60):
            raise RuntimeError(f"bulk peer never served: {peer.output()[-2000:]}")
        log(f"  peer holds {n} chunks, runs with --response-rate-limit 0 (one client takes {n} answers at once)")
        shm = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
        out_root = tempfile.mkdtemp(prefix="p2p-bulk-", dir=shm) if shm else work
        log(f"  chunk files written under {out_root}")
        for rnd in range(cfg.bulk_rounds):
            out_dir = os.path.join(out_root, "bulk-out")
            shutil.rmtree(out_dir, ignore_errors=True)
            os.makedirs(out_dir)
            # utime + stime of the whole process: schedstat sums only live threads, and the peer's idle NIO and
            # dispatch threads come and go during a run.
            peer_cpu0, client_cpu0 = peer.cpu_seconds(), child_cpu()
            status, out, err, wall = run_timed([os.path.join(bin_dir, "client"), address, ids, "--output-dir", out_dir],
                                               120)
            client_cpu = child_cpu() - client_cpu0
            peer_cpu = peer.cpu_seconds() - peer_cpu0
            files = sum(1 for f in os.listdir(out_dir) if f.endswith(".m4s"))
            runs.append({"round": rnd, "status": status, "wall_s": round(wall, 3), "chunks_saved": files,
                         "missing": n - files, "chunks_per_second": files / wall if wall > 0 else float("nan"),
                         "client_cpu_us_per_chunk": client_cpu / max(files, 1) * 1e6,
                         "peer_cpu_us_per_chunk": peer_cpu / max(files, 1) * 1e6})
            log(f"  round {rnd + 1}/{cfg.bulk_rounds}: {files}/{n} chunks in {wall:.2f} s, client CPU "
                f"{client_cpu:.2f} s, peer CPU {peer_cpu:.2f} s")
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


# ---------------------------------------------------------------------------------------------------------------
# 5. scale


def scale_graph(n, degree, seed, irregular):
    """Node -> neighbours of a connected graph from Scripts/topology.py (networkx): random `degree`-regular, or
    (irregular) Barabasi-Albert with about `degree` on average, whose varied degrees give each flood its own QUERY
    count: a sharper check than a regular graph, where every flood sends d + d(d-1) + d(d-1)^2 queries."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Scripts"))
    import topology

    spec = f"ba:{n},{max(1, degree // 2)}" if irregular else f"regular:{n},{degree}"
    g = topology.graph(spec, seed)
    return {v: sorted(g.neighbors(v)) for v in range(n)}


def expected_flood(adj, holds, contact, asked):
    """What one HELLO to `contact` implies: QUERY datagrams, CHUNK_INFOs, distinct peers reached.

    Walks the tree of queries exactly as PROTOCOL.md says: ttl 3 from the contact to every neighbour; a receiver
    answers, and with t = ttl - 1 > 0 forwards to every neighbour but the sender; no de-duplication.
    """
    asked = set(asked)
    infos = 1 if holds[contact] & asked else 0
    queries = 0
    reached = {contact}
    stack = [(n, contact, 3) for n in adj[contact]]
    while stack:
        node, sender, ttl = stack.pop()
        queries += 1
        reached.add(node)
        if holds[node] & asked:
            infos += 1
        if ttl - 1 > 0:
            stack.extend((m, node, ttl - 1) for m in adj[node] if m != sender)
    return queries, infos, len(reached)


def scrape(address):
    try:
        with urllib.request.urlopen(f"http://{address}/metrics", timeout=5) as r:
            return r.read().decode()
    except OSError:
        return None


METRIC_LINE = re.compile(r'^(p2p_[a-z_]+)\{([^}]*)\}\s+([0-9.eE+-]+)\s*$')


def metric_sums(texts):
    sums = {}
    for text in texts:
        for line in (text or "").splitlines():
            m = METRIC_LINE.match(line)
            if not m:
                continue
            name, labels, value = m.groups()
            t = re.search(r'type="([a-z_]+)"', labels)
            reason = re.search(r'reason="([a-z_]+)"', labels)
            key = f"{name}[{t.group(1)}]" if t else (f"{name}[{reason.group(1)}]" if reason else name)
            if name.endswith("_bucket"):
                continue
            sums[key] = sums.get(key, 0) + float(value)
    return sums


def drain(client, seconds):
    """Counts datagrams arriving within `seconds` of quiet."""
    client.settimeout(seconds)
    count = 0
    try:
        while True:
            client.recvfrom(70000)
            count += 1
    except socket.timeout:
        pass
    return count


def sequential_floods(client, cfg, ip, floods, expectations):
    """One HELLO at a time; waits for every expected CHUNK_INFO (or the timeout) before the next."""
    per_flood = []
    for (contact, asked), (exp_q, exp_i, reached) in zip(floods, expectations):
        sent_at = time.perf_counter()
        client.sendto(encode_list(1, asked), (ip(contact), cfg.scale_port))
        got, bad, last = 0, 0, None
        deadline = sent_at + cfg.flood_timeout
        while got < exp_i or (exp_i == 0 and time.perf_counter() < sent_at + 0.02):
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                break
            client.settimeout(remaining)
            try:
                data, _ = client.recvfrom(70000)
            except socket.timeout:
                break
            t, ids = decode_list(data)
            if t == 3 and ids and set(ids) <= set(asked):
                got += 1
                last = time.perf_counter()
            else:
                bad += 1
        per_flood.append({"contact": contact, "asked": asked, "expected_queries": exp_q,
                          "expected_chunk_infos": exp_i, "chunk_infos": got, "unexpected": bad,
                          "peers_reached": reached,
                          "ms_to_last_chunk_info": (last - sent_at) * 1000 if last else None})
    return per_flood


def burst_floods(client, cfg, ip, floods, expectations):
    """Every HELLO back to back, then collects: what the network does with all floods in flight at once."""
    expected = sum(e[1] for e in expectations)
    start = time.perf_counter()
    for contact, asked in floods:
        client.sendto(encode_list(1, asked), (ip(contact), cfg.scale_port))
    got, last = 0, start
    deadline = start + 5.0
    while got < expected:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            break
        client.settimeout(remaining)
        try:
            data, _ = client.recvfrom(70000)
        except socket.timeout:
            break
        if decode_list(data)[0] == 3:
            got += 1
            last = time.perf_counter()
    return {"floods": len(floods), "chunk_infos_expected": expected, "chunk_infos_received": got,
            "ms_to_last_chunk_info": (last - start) * 1000}


def phase_counts(before, after, floods, client_received, exp_queries):
    """Messages and losses of one phase from the peers' metric deltas and what the client received."""
    b, a = metric_sums(before), metric_sums(after)
    delta = {k: a.get(k, 0) - b.get(k, 0) for k in a}
    q_sent = delta.get("p2p_messages_sent_total[query]", float("nan"))
    q_recv = delta.get("p2p_messages_received_total[query]", float("nan"))
    i_sent = delta.get("p2p_messages_sent_total[chunk_info]", float("nan"))
    counts = {
        "queries_expected": exp_queries, "queries_sent": q_sent, "queries_received": q_recv,
        "queries_sent_per_flood": q_sent / floods, "queries_lost": q_sent - q_recv,
        "chunk_infos_sent": i_sent, "chunk_infos_lost": i_sent - client_received,
        "hellos_received": delta.get("p2p_messages_received_total[hello]", float("nan")),
        "dropped_datagrams": sum(v for k, v in delta.items() if k.startswith("p2p_datagrams_dropped_total")),
    }
    counts["datagrams_lost"] = counts["queries_lost"] + counts["chunk_infos_lost"]
    return counts


def bench_scale(cfg, bin_dir, work, log, n, irregular=False):
    rng = random.Random(cfg.seed + n + (1000 if irregular else 0))
    adj = scale_graph(n, cfg.degree, cfg.seed + n, irregular)
    ip = lambda i: f"127.{cfg.scale_octet}.{i // 250}.{i % 250 + 1}"
    addr = lambda i: f"{ip(i)}:{cfg.scale_port}"
    maddr = lambda i: f"{ip(i)}:{cfg.scale_port + 1}"
    folder = os.path.join(work, f"scale-{n}{'-irregular' if irregular else ''}")
    os.makedirs(folder)
    chunk_ids = list(range(1, 11))
    for c in chunk_ids:
        name = f"BigBuckBunny_{c}.m4s"
        os.symlink(os.path.join(COURSE, "Chunks", name), os.path.join(folder, name))
    holds = {}
    for i in range(n):
        held = sorted(rng.sample(chunk_ids, cfg.held_per_peer))
        holds[i] = set(held)
        with open(os.path.join(folder, f"kv{i}"), "w") as f:
            f.write("\n".join(f"{c}: BigBuckBunny_{c}.m4s" for c in held))
    floods = [(rng.randrange(n), sorted(rng.sample(chunk_ids, cfg.asked_per_flood))) for _ in range(cfg.floods)]
    expectations = [expected_flood(adj, holds, contact, asked) for contact, asked in floods]

    procs = []
    t0 = time.perf_counter()
    try:
        for i in range(n):
            argv = [os.path.join(bin_dir, "peer"), addr(i), os.path.join(folder, f"kv{i}")]
            argv += [addr(j) for j in adj[i]] + ["--metrics", maddr(i)]
            procs.append(Proc(argv, os.path.join(folder, f"peer{i}.log")))
        for i in range(n):
            if not wait_serving(addr(i), min(holds[i]), seconds=60):
                raise RuntimeError(f"scale peer {i} never served: {procs[i].output()[-2000:]}")
        startup_s = time.perf_counter() - t0
        time.sleep(0.3)
        idle0 = [p.cpu_ns() for p in procs]
        time.sleep(1.0)
        idle1 = [p.cpu_ns() for p in procs]
        snapshots = [[scrape(maddr(i)) for i in range(n)]]
        metrics_ok = all(text is not None for text in snapshots[0])

        client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        client.bind((cfg.scale_client_ip, 0))
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        cpu0 = [p.cpu_ns() for p in procs]
        wall0 = time.perf_counter()
        per_flood = sequential_floods(client, cfg, ip, floods, expectations)
        floods_wall = time.perf_counter() - wall0
        cpu1 = [p.cpu_ns() for p in procs]
        extra = drain(client, 0.2)
        if metrics_ok:
            snapshots.append([scrape(maddr(i)) for i in range(n)])
        burst = burst_floods(client, cfg, ip, floods, expectations)
        burst["extra_datagrams"] = drain(client, 0.3)
        if metrics_ok:
            snapshots.append([scrape(maddr(i)) for i in range(n)])
        client.close()
        memory = [p.memory_kib() for p in procs]
        private = [p.private_kib() for p in procs]
        dead = [i for i, p in enumerate(procs) if not p.alive()]
    finally:
        for p in procs:
            if p.popen.poll() is None:
                p.popen.terminate()
        for p in procs:
            p.stop()

    exp_q_total = sum(e[0] for e in expectations)
    exp_i_total = sum(e[1] for e in expectations)
    got_i_total = sum(f["chunk_infos"] for f in per_flood)
    reached = [e[2] for e in expectations]
    times = [f["ms_to_last_chunk_info"] for f in per_flood if f["ms_to_last_chunk_info"] is not None]
    result = {
        "peers": n, "graph": "irregular" if irregular else "regular", "degree": cfg.degree,
        "degree_min": min(len(v) for v in adj.values()), "degree_max": max(len(v) for v in adj.values()),
        "seed": cfg.seed + n + (1000 if irregular else 0), "floods": len(per_flood),
        "expected_queries_min": min(e[0] for e in expectations), "expected_queries_max": max(e[0] for e in expectations),
        "startup_s": round(startup_s, 3), "dead_peers": dead,
        "expected_queries_per_flood": exp_q_total / len(per_flood),
        "expected_chunk_infos_per_flood": exp_i_total / len(per_flood),
        "peers_reached_per_flood": med(reached),
        "duplicate_deliveries_per_flood": exp_q_total / len(per_flood) - (med(reached) - 1),
        "client_chunk_infos_received": got_i_total, "client_chunk_infos_expected": exp_i_total,
        "client_extra_datagrams": extra + sum(f["unexpected"] for f in per_flood),
        "ms_to_last_chunk_info_median": med(times), "ms_to_last_chunk_info_p90": pct(times, 0.9),
        "floods_wall_s": round(floods_wall, 3),
        "ms_per_flood_wall": floods_wall / len(per_flood) * 1000,
        "peer_cpu_ms_per_flood": (sum(cpu1) - sum(cpu0)) / len(per_flood) / 1e6,
        "peer_idle_cpu_percent_total": (sum(idle1) - sum(idle0)) / 1e9 * 100,
        "peer_rss_kib_median": med([m[0] for m in memory]), "peer_rss_kib_max": max(m[0] for m in memory),
        "peer_rss_mib_total": sum(m[0] for m in memory) / 1024, "peer_hwm_kib_max": max(m[1] for m in memory),
        "peer_private_kib_median": med([m[0] for m in private]),
        "peer_pss_mib_total": sum(m[1] for m in private) / 1024,
        "metrics_available": metrics_ok, "burst": burst,
    }
    if metrics_ok:
        result.update(phase_counts(snapshots[0], snapshots[1], len(per_flood), got_i_total, exp_q_total))
        burst.update(phase_counts(snapshots[1], snapshots[2], len(floods), burst["chunk_infos_received"], exp_q_total))
    else:
        result["datagrams_lost"] = exp_i_total - got_i_total
        burst["datagrams_lost"] = burst["chunk_infos_expected"] - burst["chunk_infos_received"]
        result["note"] = "metrics endpoints unavailable: loss counted from CHUNK_INFOs at the client only"
    log(f"  {n} peers ({result['graph']}): start {startup_s:.1f}s, {result['expected_queries_per_flood']:.1f} queries/flood expected, "
        f"{result.get('queries_sent_per_flood', float('nan')):.1f} sent, lost {result['datagrams_lost']:.0f} "
        f"(burst: lost {burst['datagrams_lost']:.0f}), {result['ms_to_last_chunk_info_median']:.2f} ms to last "
        f"CHUNK_INFO, {result['peer_cpu_ms_per_flood']:.2f} ms CPU/flood, "
        f"private/peer {result['peer_private_kib_median'] / 1024:.1f} MiB")
    return result


# ---------------------------------------------------------------------------------------------------------------
# 3, 4 and metrics: the other engineers' benchmark executables


def run_other(bin_dir, name, args, timeout, log):
    path = os.path.join(bin_dir, name)
    if not os.path.exists(path):
        log(f"  {name}: not built (see Benchmarks/Package.swift), skipped")
        return {"present": False}
    log(f"  running {name} {' '.join(args)}")
    status, out, err, wall = run_timed([path] + args, timeout)
    objects = []
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("{") and line.endswith("}"):
            try:
                objects.append(json.loads(line))
            except ValueError:
                pass
    return {"present": True, "status": status, "wall_s": round(wall, 2), "stdout": out[-20000:],
            "stderr": err[-4000:], "json": objects}


NUMBER = r"([0-9][0-9,_]*(?:\.[0-9]+)?)\s*([kKmM]?)(?![a-zA-Z])"


def find_rate(text, patterns):
    """The first number matched by one of `patterns` (regexes with a NUMBER group), with k/M suffixes applied."""
    for pattern in patterns:
        m = re.search(pattern, text, re.IGNORECASE | re.MULTILINE)
        if m:
            value = float(m.group(1).replace(",", "").replace("_", ""))
            suffix = m.group(2).lower() if m.lastindex and m.lastindex >= 2 and m.group(2) else ""
            return value * {"": 1, "k": 1e3, "m": 1e6}[suffix]
    return None


def json_field(objects, *names):
    for obj in objects:
        stack = [obj]
        while stack:
            o = stack.pop()
            if isinstance(o, dict):
                for k, v in o.items():
                    if k in names and isinstance(v, (int, float)):
                        return float(v)
                    stack.append(v)
            elif isinstance(o, list):
                stack.extend(o)
    return None


# ---------------------------------------------------------------------------------------------------------------
# report


def fmt(value, digits=1):
    if value is None or (isinstance(value, float) and value != value):
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def goal_row(goals, name, value, target, met, unit=""):
    goals.append({"goal": name, "value": value, "target": target, "met": met, "unit": unit})


def main():
    global COURSE
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show", metavar="JSON", help="print the table of an earlier run's JSON and exit")
    parser.add_argument("--compare", nargs=2, metavar=("OLD", "NEW"), help="key figures of two runs side by side")
    parser.add_argument("--bin-dir")
    parser.add_argument("--tools-dir", help="where trace-bench, replay-bench and metrics-bench are (the Benchmarks "
                        "package's build); default: --bin-dir")
    parser.add_argument("--c-responder")
    parser.add_argument("--c-responder-batched",
                        help="the recvmmsg/sendmmsg responder (Benchmarks/c-responder-batched.c)")
    parser.add_argument("--course")
    parser.add_argument("--results", default="bench-results")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--bulk-chunks", type=int, default=10000, help="chunks the bulk client fetches (bulk section)")
    parser.add_argument("--only", default="throughput,client,bulk,trace,replay,metrics,scale",
                        help="comma-separated sections to run")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--duration", type=float)
    parser.add_argument("--sockets", type=int, default=4)
    parser.add_argument("--trace-compressor", choices=["igzip", "zlib"],
                        help="the traced peer's --trace-compressor (default: the peer's own default)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--window", type=int, default=32)
    parser.add_argument("--base-port", type=int, default=47100)
    parser.add_argument("--course-prefix", default="127.201.0")
    parser.add_argument("--scale-sizes")
    parser.add_argument("--floods", type=int)
    parser.add_argument("--seed", type=int, default=7)
    cfg = parser.parse_args()
    if cfg.compare:
        with open(cfg.compare[0]) as a, open(cfg.compare[1]) as b:
            compare(json.load(a), json.load(b))
        return
    if cfg.show:
        with open(cfg.show) as f:
            report(json.load(f))
        return
    if not (cfg.bin_dir and cfg.c_responder and cfg.c_responder_batched and cfg.course):
        parser.error("--bin-dir, --c-responder, --c-responder-batched and --course are required "
                     "(Scripts/bench.sh passes them)")
    COURSE = os.path.abspath(cfg.course)
    cfg.tools_dir = cfg.tools_dir or cfg.bin_dir
    q = cfg.quick
    cfg.rounds = cfg.rounds or (3 if q else 7)
    cfg.duration = cfg.duration or (1.0 if q else 1.5)
    cfg.mixes = ["get", "mixed"]
    cfg.client_runs = 10 if q else 20
    cfg.client_p4_runs = 1 if q else 3
    cfg.bulk_rounds = 3 if q else 5
    cfg.scale_sizes = [int(x) for x in (cfg.scale_sizes or ("50,200" if q else "50,100,200")).split(",")]
    cfg.floods = cfg.floods or (30 if q else 100)
    cfg.degree = 4
    cfg.held_per_peer = 2
    cfg.asked_per_flood = 2
    cfg.scale_octet = 202
    cfg.scale_port = 7000
    cfg.scale_client_ip = "127.203.0.1"
    cfg.flood_timeout = 1.0
    sections = set(cfg.only.split(","))

    started = datetime.datetime.now(datetime.timezone.utc)
    work = tempfile.mkdtemp(prefix="p2p-bench-")
    log = lambda text: print(text, file=sys.stderr, flush=True)
    data = make_data_folder(work)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    commit = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = bool(subprocess.run(["git", "-C", root, "status", "--porcelain", "--untracked-files=no"],
                                capture_output=True, text=True).stdout.strip())
    results = {"meta": {"started": started.isoformat(timespec="seconds"), "commit": commit, "dirty": dirty,
                        "quick": q, "cores": os.cpu_count(), "kernel": os.uname().release,
                        "load_average_at_start": os.getloadavg()}}
    try:
        if "throughput" in sections:
            log("== 1. peer throughput (p2pload, alternating servers) ==")
            results["throughput"] = bench_throughput(cfg, cfg.bin_dir, work, data, log)
        if "client" in sections:
            log("== 2. client end to end, course topology on loopback ==")
            results["client"] = bench_client(cfg, cfg.bin_dir, work, data, log)
        if "bulk" in sections:
            log(f"== 2b. one client fetching {cfg.bulk_chunks} chunks from one peer ==")
            results["bulk_client"] = bench_bulk_client(cfg, cfg.bin_dir, work, log)
        if "trace" in sections:
            log("== 3. trace writer ==")
            results["trace_bench"] = run_other(
                cfg.tools_dir, "trace-bench", ["300000" if q else "1000000"], 300, log)
            results["trace_bench"]["default_level"] = default_compression_level(root)
        if "replay" in sections:
            log("== 4. replay ==")
            results["replay_bench"] = run_other(
                cfg.tools_dir, "replay-bench",
                ["--events", "300000" if q else "1000000", "--p2ptrace", os.path.join(cfg.bin_dir, "p2ptrace")],
                600, log)
        if "metrics" in sections:
            log("== metrics endpoint (metrics-bench) ==")
            results["metrics_bench"] = run_other(cfg.tools_dir, "metrics-bench", ["1" if q else "2"], 300, log)
        if "scale" in sections:
            log("== 5. scale: random 4-regular graphs on loopback ==")
            results["scale"] = [bench_scale(cfg, cfg.bin_dir, work, log, n) for n in cfg.scale_sizes]
            results["scale_irregular"] = bench_scale(cfg, cfg.bin_dir, work, log, cfg.scale_sizes[0], irregular=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["meta"]["finished"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    results["meta"]["load_average_at_end"] = os.getloadavg()
    results["goals"] = report(results)
    os.makedirs(cfg.results, exist_ok=True)
    path = os.path.join(cfg.results, started.strftime("%Y%m%dT%H%M%SZ") + ("-quick" if q else "") + ".json")
    with open(path, "w") as f:
        json.dump(results, f, indent=1, default=str)
        f.write("\n")
    print(f"\nJSON written to {path}")


def default_compression_level(root):
    """The writer's default compression level, read from its source (the level the peer runs with)."""
    try:
        with open(os.path.join(root, "Sources/ChunkTrace/TraceSegmentWriter.swift")) as f:
            m = re.search(r"compressionLevel: Int = (\d+)", f.read())
        return int(m.group(1)) if m else 1
    except OSError:
        return 1


def key_figures(results):
    """The figures worth tracking over time, flattened to name → value."""
    figures = {}
    tp = results.get("throughput", {}).get("summary", {})
    for mix, summary in tp.items():
        for name, v in summary["servers"].items():
            figures[f"throughput {mix} {name} answers/s"] = v["median_per_s"]
            figures[f"throughput {mix} {name} µs CPU/answer"] = v["server_cpu_us_per_answer"]
        for label, v in summary["ratios"].items():
            figures[f"throughput {mix} {label} ratio"] = v["median"]
            if v.get("cpu_cost_ratio_median") is not None:
                figures[f"throughput {mix} {label} CPU cost ratio"] = v["cpu_cost_ratio_median"]
            figures[f"throughput {mix} {label} CPU ratio"] = v.get("cpu_efficiency_median")
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
    for r in results.get("scale", []):
        n = r["peers"]
        figures[f"scale {n} ms to last CHUNK_INFO"] = r["ms_to_last_chunk_info_median"]
        figures[f"scale {n} peer CPU ms/flood"] = r["peer_cpu_ms_per_flood"]
        figures[f"scale {n} private MiB/peer"] = r["peer_private_kib_median"] / 1024
        figures[f"scale {n} datagrams lost"] = r["datagrams_lost"]
    return figures


def compare(old, new):
    a, b = key_figures(old), key_figures(new)
    print(f"{'figure':<48} {old['meta']['started'][:16]:>16} {new['meta']['started'][:16]:>16} {'change':>8}")
    for name in list(a) + [k for k in b if k not in a]:
        x, y = a.get(name), b.get(name)
        change = f"{(y - x) / x * 100:+.0f}%" if isinstance(x, (int, float)) and isinstance(y, (int, float)) and x else ""
        print(f"{name:<48} {fmt(x, 2):>16} {fmt(y, 2):>16} {change:>8}")


def report(results):
    goals = []
    out = print
    meta = results["meta"]
    out(f"p2p-chunks benchmarks  commit {meta['commit']}{' (dirty)' if meta['dirty'] else ''}  "
        f"{meta['started']}  {meta['cores']} cores  load {meta['load_average_at_start'][0]:.2f}"
          f"{'  QUICK' if meta['quick'] else ''}")
    tp = results.get("throughput")
    if tp:
        s = tp["settings"]
        out(f"\n1. Peer throughput on loopback, 1 KiB chunks  (p2pload: {s['sockets']} sockets, window {s['window']}, "
            f"{s['threads']} thread; {s['rounds']} alternating rounds of {s['duration_s']} s; medians)")
        out(f"   {'mix':<8} {'server':<13} {'answers/s':>11} {'min':>10} {'max':>10} {'lost':>6} {'server µs CPU/answer':>21}")
        for mix, summary in tp["summary"].items():
            for name, v in summary["servers"].items():
                out(f"   {mix:<8} {name:<13} {fmt(v['median_per_s'], 0):>11} {fmt(v['min_per_s'], 0):>10} "
                    f"{fmt(v['max_per_s'], 0):>10} {v['lost_total']:>6} {fmt(v['server_cpu_us_per_answer'], 2):>21}")
            r = summary["ratios"]
            out(f"   {mix:<8} throughput ratios (median of per-round ratios): peer/C {fmt(r['peer_vs_c']['median'], 2)}  "
                f"traced/untraced {fmt(r['traced_vs_peer']['median'], 2)}  metrics/plain {fmt(r['metrics_vs_peer']['median'], 2)}")
            out(f"   {mix:<8} CPU-cost ratios (inverse µs/answer, less noisy):   peer/C {fmt(r['peer_vs_c']['cpu_efficiency_median'], 2)}  "
                f"traced/untraced {fmt(r['traced_vs_peer']['cpu_efficiency_median'], 2)}  "
                f"metrics/plain {fmt(r['metrics_vs_peer']['cpu_efficiency_median'], 2)}")
            if "peer_vs_c_batched" in r:
                b = r["peer_vs_c_batched"]
                out(f"   {mix:<8} vs the batched C responder: peer µs/answer ÷ batched C µs/answer "
                    f"{fmt(b['cpu_cost_ratio_median'], 2)} (per round "
                    f"{[round(1 / x, 2) for x in b['cpu_efficiency_per_round'] if x > 0]}); "
                    f"answers/s peer/batched C {fmt(b['median'], 2)}")
        g = tp["summary"].get("get", {}).get("ratios")
        if g:
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
        out(f"   trace output of the traced peer: {tp['trace_output']['files']} file(s), "
            f"{tp['trace_output']['bytes']:,} bytes")
    cl = results.get("client")
    if cl:
        a = cl["p1_5_6_7"]
        out("\n2. Client end to end, course topology on loopback (release builds)")
        out(f"   client p1 5,6,7        median {a['median_ms']:.1f} ms  p90 {a['p90_ms']:.1f}  min {a['min_ms']:.1f}  "
            f"max {a['max_ms']:.1f}  ({a['runs']} runs, {a['correct_runs']} correct)")
        out(f"   process start alone    median {cl['process_start_ms']['median_ms']:.1f} ms (client --help)")
        b = cl["p4_1_3_4_5_9"]
        out(f"   client p4 1,3,4,5,9    median {b['median_s']:.2f} s  — waits out its 5 s timeout (chunk 4 exists nowhere)")
        goal_row(goals, "client p1 5,6,7 end to end", round(a["median_ms"], 1), "< 50 ms",
                 a["median_ms"] < 50 and a["correct_runs"] == a["runs"], "ms")
    bc = results.get("bulk_client")
    if bc:
        out(f"\n2b. One client fetching {bc['chunks']} chunks from one peer on loopback (peer --response-rate-limit 0; "
            f"files in {bc.get('output_folder', '?')})")
        out(f"   median {bc['median_wall_s']:.2f} s, {fmt(bc['median_chunks_per_second'], 0)} chunks/s, client "
            f"{fmt(bc['median_client_cpu_us_per_chunk'], 2)} µs CPU/chunk (files included), peer "
            f"{fmt(bc['median_peer_cpu_us_per_chunk'], 2)} µs CPU/chunk; missing {bc['missing_total']} over "
            f"{len(bc['runs'])} runs")
        goal_row(goals, f"bulk client: chunks missing ({len(bc['runs'])} runs)", bc["missing_total"], "0",
                 bc["missing_total"] == 0)
    tb = results.get("trace_bench")
    if tb is not None:
        out("\n3. Trace writer (trace-bench)")
        if not tb.get("present"):
            out("   trace-bench not present: skipped")
        else:
            text = tb["stdout"]
            level = tb.get("default_level", 1)
            levels, zlib_levels = {}, {}
            # "writer igzip level N:" (the default compressor; older runs printed "writer zlib level N:" only).
            compressors = set(re.findall(r"^writer (igzip|zlib) level \d+:", text, re.MULTILINE))
            for m in re.finditer(r"^writer (igzip|zlib) level (\d+):(.*)$", text, re.MULTILINE):
                figures = {
                    "events_per_second": find_rate(m.group(3), [NUMBER + r"\s*events/s wall"]),
                    "events_per_cpu_second": find_rate(m.group(3), [NUMBER + r"\s*events per CPU-second"]),
                    "compressed_bytes_per_event": find_rate(m.group(3), [NUMBER + r"\s*compressed bytes/event"])}
                if m.group(1) == "igzip" or "igzip" not in compressors:
                    levels[int(m.group(2))] = figures
                else:
                    zlib_levels[int(m.group(2))] = figures
            default_compressor = "igzip" if "igzip" in compressors else "zlib"
            if level not in levels:
                level = 1 if 1 in levels else level
            chosen = levels.get(level, {})
            tb["reported_level"] = level
            rate = chosen.get("events_per_second") or find_rate(text, [NUMBER + r"\s*events?\s*/\s*s"])
            cpu_rate, bpe = chosen.get("events_per_cpu_second"), chosen.get("compressed_bytes_per_event")
            json_bpe = find_rate(text, [NUMBER + r"\s*bytes/event \(JSON\)"])
            record_ns = find_rate(text, [r"record\(\) steady state:\s*" + NUMBER])
            fast_ns = find_rate(text, [r"recordMessage\(\) steady:\s*" + NUMBER])
            tb.update({"levels": levels, "zlib_levels": zlib_levels, "events_per_second": rate, "events_per_cpu_second": cpu_rate,
                       "compressed_bytes_per_event": bpe, "json_bytes_per_event": json_bpe,
                       "record_ns_steady": record_ns, "record_message_ns_steady": fast_ns})
            default_note = "the default" if level == tb.get("default_level") else f"default is {tb.get('default_level')}"
            out(f"   writer ({default_compressor} {level}, {default_note}): {fmt(rate, 0)} events/s wall, {fmt(cpu_rate, 0)} events per "
                f"CPU-second, {fmt(bpe, 1)} compressed bytes/event ({fmt(json_bpe, 0)} JSON); on the datagram "
                f"thread record() {fmt(record_ns, 0)} ns, recordMessage() {fmt(fast_ns, 0)} ns "
                f"(exit {tb['status']}, {tb['wall_s']} s)")
            for line in text.strip().splitlines()[-12:]:
                out(f"   | {line}")
            goal_row(goals, "trace writer events/s", rate, "≥ 500,000", rate is not None and rate >= 5e5, "/s")
    rb = results.get("replay_bench")
    if rb is not None:
        out("\n4. Replay (replay-bench) vs zcat | jq -c . on the same trace set")
        if not rb.get("present"):
            out("   replay-bench not present: skipped")
        else:
            text = rb["stdout"]
            ratio = json_field(rb["json"], "speedup", "ratio", "speedup_vs_jq") or \
                find_rate(text, [r"replay is\s*([0-9.]+)()x", r"speed-?up[^0-9\n]*" + NUMBER])
            peak = json_field(rb["json"], "peak_rss_mib", "peak_memory_mib", "max_rss_mib") or \
                find_rate(text, [r"peak[^0-9\n]*" + NUMBER])
            rb["replay_events_per_second"] = find_rate(text, [r"^p2ptrace replay --format json.*?s\s+" + NUMBER + r"\s*events/s"])
            rb["jq_events_per_second"] = find_rate(text, [r"^zcat files \| jq.*?s\s+" + NUMBER + r"\s*events/s"])
            rb["events"] = find_rate(text, [r"trace set:\s*" + NUMBER + r"\s*events"])
            if rb["replay_events_per_second"] and rb["jq_events_per_second"]:
                ratio = rb["replay_events_per_second"] / rb["jq_events_per_second"]
            rb["speedup_vs_jq"], rb["peak_memory"] = ratio, peak
            out(f"   {fmt(rb['events'], 0)} events: replay --format json {fmt(rb['replay_events_per_second'], 0)} events/s   zcat|jq {fmt(rb['jq_events_per_second'], 0)} events/s")
            out(f"   replay vs zcat|jq {fmt(ratio, 2)}×   peak memory {fmt(peak, 1)} MB   (exit {rb['status']}, {rb['wall_s']} s)")
            for line in text.strip().splitlines()[-12:]:
                out(f"   | {line}")
            goal_row(goals, "replay vs zcat | jq -c .", ratio, "≥ 3×", ratio is not None and ratio >= 3, "×")
    mb = results.get("metrics_bench")
    if mb is not None:
        out("\n   Metrics endpoint (metrics-bench)")
        if not mb.get("present"):
            out("   metrics-bench not present: skipped")
        else:
            for line in mb["stdout"].strip().splitlines():
                out(f"   | {line}")
    sc = results.get("scale")
    if sc:
        out("\n5. Scale: random connected 4-regular graphs on loopback (fixed seed), one process per peer, peers hold 2 "
            "random chunks of 10, each flood asks for 2")
        out(f"   {'peers':>5} {'reached':>7} {'start s':>7} {'queries/flood exp':>17} {'sent':>6} {'recv':>6} {'lost':>4} "
            f"{'CHUNK_INFO got/exp':>18} {'ms to last p50/p90':>18} {'wall ms/flood':>13} {'CPU ms/flood':>12} "
            f"{'burst lost':>10} {'burst ms':>8} {'RSS MiB/peer':>12} {'private MiB/peer':>16} {'PSS MiB total':>13} {'idle CPU %':>10}")
        irregular = results.get("scale_irregular")
        for r in sc + ([irregular] if irregular else []):
            bu = r["burst"]
            label = f"{r['peers']}*" if r.get("graph") == "irregular" else str(r["peers"])
            out(f"   {label:>5} {r['peers_reached_per_flood']:>7.0f} {r['startup_s']:>7.1f} {r['expected_queries_per_flood']:>17.2f} "
                f"{fmt(r.get('queries_sent_per_flood'), 2):>6} {fmt(r.get('queries_received', float('nan')) / r['floods'], 2):>6} "
                f"{fmt(r['datagrams_lost'], 0):>4} {str(r['client_chunk_infos_received']) + '/' + str(r['client_chunk_infos_expected']):>18} "
                f"{fmt(r['ms_to_last_chunk_info_median'], 2) + '/' + fmt(r['ms_to_last_chunk_info_p90'], 2):>18} "
                f"{r['ms_per_flood_wall']:>13.2f} {r['peer_cpu_ms_per_flood']:>12.3f} {fmt(bu['datagrams_lost'], 0):>10} "
                f"{bu['ms_to_last_chunk_info']:>8.1f} {r['peer_rss_kib_median'] / 1024:>12.1f} {r['peer_private_kib_median'] / 1024:>16.1f} "
                f"{r['peer_pss_mib_total']:>13.0f} {r['peer_idle_cpu_percent_total']:>10.2f}")
            sent = r.get("queries_sent_per_flood")
            goal_row(goals, f"{label} peers: datagrams lost (sequential)", r["datagrams_lost"], "0",
                     r["datagrams_lost"] == 0)
            goal_row(goals, f"{label} peers: datagrams lost ({bu['floods']} floods at once)",
                     bu["datagrams_lost"], "0", bu["datagrams_lost"] == 0)
            if sent is not None:
                goal_row(goals, f"{label} peers: queries/flood = topology", round(sent, 2),
                         f"{r['expected_queries_per_flood']:.2f}",
                         abs(sent - r["expected_queries_per_flood"]) < 1e-9)
        if len(sc) >= 2:
            lo, hi = sc[0], sc[-1]
            grow = lambda key: hi[key] / lo[key] if lo[key] else float("nan")
            out(f"   growth {lo['peers']} → {hi['peers']} peers (×{hi['peers'] / lo['peers']:.0f}): time to last CHUNK_INFO "
                f"×{grow('ms_to_last_chunk_info_median'):.2f}, CPU per flood ×{grow('peer_cpu_ms_per_flood'):.2f}, "
                f"start-up ×{grow('startup_s'):.1f}, PSS total ×{grow('peer_pss_mib_total'):.1f}, idle CPU "
                f"×{grow('peer_idle_cpu_percent_total'):.1f} (a flood's work is fixed by degree and ttl; memory and "
                f"idle cost grow with the number of processes)")
        if irregular:
            out(f"   {irregular['peers']}*: irregular connected graph, mean degree {irregular['degree']} (degrees "
                f"{irregular['degree_min']}–{irregular['degree_max']}), so the expected QUERYs differ per flood "
                f"({irregular['expected_queries_min']}–{irregular['expected_queries_max']}): a sharper check of the "
                f"walk-tree count than a regular graph, where every flood sends 4 + 12 + 36 = 52")
        out("   (sequential: one flood at a time, the next after every expected CHUNK_INFO arrived; burst: all floods "
            "sent back to back; lost = QUERYs sent − received over all peers' /metrics + CHUNK_INFOs sent − "
            "received by the client; reached = distinct peers a flood reaches (median); private = "
            "Private_Clean+Private_Dirty of one peer process)")
    out("\nGoals")
    for g in goals:
        out(f"   {'MET ' if g['met'] else 'MISS'}  {g['goal']:<40} {fmt(g['value'], 2) if isinstance(g['value'], float) else fmt(g['value'])} {g['unit']}  (goal {g['target']})")
    return goals


if __name__ == "__main__":
    main()
