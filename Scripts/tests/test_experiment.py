"""Scripts/experiment.py end to end: real peers and clients on loopback (and in namespaces as root), the tables,
plots and index.html it writes, its errors and its clean-up. Needs built binaries (BIN_DIR or .build/debug)."""
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import time

import pytest

from conftest import ROOT, SCRIPTS
from packet_capture import has_import

BIN_DIR = os.environ.get("BIN_DIR") or os.path.join(ROOT, ".build", "debug")
pytestmark = pytest.mark.skipif(not os.access(os.path.join(BIN_DIR, "peer"), os.X_OK),
                                reason=f"no built peer in {BIN_DIR} (run swift build or set BIN_DIR)")
# Loopback addresses of their own (127.<base>.x.y), away from the Swift tests' 127.100-199 and the dissector
# tests' 127.232; one base per run, so that runs of other checkouts on the same machine do not collide.
BASE = 200 + os.getpid() % 30


def experiment(*args, timeout=300):
    return subprocess.run(["/usr/bin/python3", os.path.join(SCRIPTS, "experiment.py"), "--bin-dir", BIN_DIR,
                           "--loopback-base", str(BASE), *args], capture_output=True, text=True, timeout=timeout)


def processes_mentioning(text):
    """Pids of processes whose command line contains `text`."""
    pids = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if text.encode() in f.read():
                    pids.append(int(pid))
        except OSError:
            pass
    return pids


def read_rows(out):
    with open(os.path.join(out, "floods.csv"), newline="") as f:
        return list(csv.DictReader(f))


def test_ring_on_loopback_measures_what_the_graph_implies(tmp_path):
    out = str(tmp_path / "ring")
    result = experiment("--topology", "ring:12", "--ttl", "1,2,3,4", "--floods", "5", "--seed", "4", "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[1/4] ttl 1 repeat 1" in result.stdout and "[4/4] ttl 4 repeat 1" in result.stdout
    rows = read_rows(out)
    assert len(rows) == 20
    # On a ring every flood sends 2 queries per TTL step and loses none.
    for row in rows:
        ttl = int(row["ttl"])
        assert int(row["queries"]) == int(row["expected_queries"]) == 2 * ttl
        assert int(row["peers_reached"]) == 1 + 2 * ttl and row["lost"] == "0" and row["matches_expected"] == "True"
    for name in ("messages_vs_ttl", "coverage_vs_ttl", "time_to_last_chunk_cdf", "messages_per_node",
                 "duplicates_vs_degree"):
        for ext in ("png", "svg"):
            assert os.path.getsize(os.path.join(out, f"{name}.{ext}")) > 1000
    summary = json.load(open(os.path.join(out, "summary.json")))
    assert summary["per_ttl"]["3"]["queries"] == 5 * 6 and summary["settings"]["loss_method"] == "none"
    page = open(os.path.join(out, "index.html")).read()
    assert page.count("<tr") == 21 and "floods.csv" in page and "messages_vs_ttl.png" in page
    assert not processes_mentioning(out)


def test_course_topology_file_with_a_regular_graph_of_thirty(tmp_path):
    out = str(tmp_path / "regular")
    result = experiment("--topology", "regular:30,4", "--ttl", "2,3", "--floods", "8", "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = read_rows(out)
    assert [int(r["expected_queries"]) for r in rows] == [4 + 12] * 8 + [4 + 12 + 36] * 8
    assert all(r["queries"] == r["expected_queries"] and r["lost"] == "0" for r in rows)
    # The small version of the size benchmark (--size): memory and CPU of the peers, from /proc.
    assert "16/16 floods traced, 16 as expected, 0 datagrams lost" in result.stdout
    used = json.load(open(os.path.join(out, "summary.json")))["settings"]["resources"]
    assert [u["measured"] for u in used] == [30, 30]
    assert all(1 < u["pss_mib_mean"] < 100 and u["peer_cpu_ms_per_flood"] > 0 for u in used)


@pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"), reason="needs /usr/bin/chromium (Debian chromium)")
def test_index_renders_in_headless_chromium(tmp_path):
    out = str(tmp_path / "course")
    result = experiment("--topology", os.path.join(ROOT, "Topologies", "course.json"), "--ttl", "1,3",
                        "--floods", "3", "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    flags = ["--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path}/chromium"]
    url = "file://" + os.path.join(out, "index.html")
    dom = subprocess.run(["/usr/bin/chromium", *flags, "--dump-dom", url], capture_output=True, text=True,
                         timeout=120)
    assert "<table id=\"floods\">" in dom.stdout and dom.stdout.count("<img") == 5
    assert dom.stdout.count(">replay</a>") == 6
    shot = tmp_path / "index.png"
    subprocess.run(["/usr/bin/chromium", *flags, f"--screenshot={shot}", "--window-size=1200,900", url],
                   capture_output=True, timeout=120)
    assert shot.stat().st_size > 10_000


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("tcpdump") or not shutil.which("tshark"),
                    reason="--capture needs root and tcpdump; reading it needs tshark")
def test_capture_on_loopback_holds_every_flood_the_traces_measured(tmp_path):
    out = str(tmp_path / "captured")
    result = experiment("--topology", os.path.join(ROOT, "Topologies", "course.json"), "--ttl", "2,3",
                        "--floods", "3", "--no-replay", "--capture", "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = read_rows(out)
    for ttl in (2, 3):
        pcap = os.path.join(out, "steps", f"ttl{ttl}-r1", "capture.pcap")
        assert f"capture: steps/ttl{ttl}-r1/capture.pcap (" in open(os.path.join(out, "summary.txt")).read()
        dissector = ["-X", f"lua_script:{os.path.join(SCRIPTS, 'wireshark', 'p2pchunks.lua')}"]

        def count(display_filter):
            shown = subprocess.run(["tshark", "-r", pcap, *dissector, "-Y", display_filter, "-T", "fields",
                                    "-e", "frame.number"], capture_output=True, text=True, timeout=60)
            assert shown.returncode == 0, shown.stderr
            return len(shown.stdout.split())

        mine = [r for r in rows if r["ttl"] == str(ttl)]
        assert count("p2pchunks.type == HELLO") == len(mine) == 3
        assert count("p2pchunks.type == QUERY") == sum(int(r["queries"]) for r in mine) > 0
        if has_import(os.path.join(BIN_DIR, "p2ptrace")):
            replay = json.load(open(os.path.join(out, "steps", f"ttl{ttl}-r1", "capture-replay.json")))
            assert len(replay["floods"]) == 3
        else:
            assert f"steps/ttl{ttl}-r1/capture.pcap kept; not replayed: this p2ptrace has no `import`" in result.stdout
    assert not processes_mentioning(out)


def test_bad_topology_file_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"nodes": [\n {"name": "a", "address": "10.0.0.1", "port": 5001}\n],\n'
                    '"edges": [\n ["a", "zz"]\n]}\n')
    result = experiment("--topology", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert f"{path}:5: edge a - zz: unknown node 'zz'" in result.stderr


def test_a_node_that_cannot_start_stops_everything_and_is_named(tmp_path):
    out = str(tmp_path / "busy")
    blocker = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    blocker.bind((f"127.{BASE}.0.3", 5003))  # where p3 of line:5 runs
    try:
        result = experiment("--topology", "line:5", "--floods", "2", "--out", out)
    finally:
        blocker.close()
    assert result.returncode == 2
    assert f"peer p3 (127.{BASE}.0.3:5003) did not start" in result.stderr, result.stderr
    assert not processes_mentioning(out)


def test_ctrl_c_leaves_no_process(tmp_path):
    out = str(tmp_path / "interrupted")
    process = subprocess.Popen(["/usr/bin/python3", os.path.join(SCRIPTS, "experiment.py"), "--bin-dir", BIN_DIR,
                                "--loopback-base", str(BASE), "--topology", "ring:20", "--floods", "40",
                                "--ttl", "1,2,3,4", "--client-timeout", "2", "--out", out],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = ""
    deadline = time.monotonic() + 120
    while "[1/4]" not in line and time.monotonic() < deadline:
        line = process.stdout.readline()
    time.sleep(1)
    process.send_signal(signal.SIGINT)
    assert process.wait(60) == 130
    assert "interrupted" in process.stderr.read()
    assert not processes_mentioning(out)


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="network namespaces need root")


@needs_root
def test_netns_with_loss_says_which_method_and_leaves_no_namespace(tmp_path):
    out = str(tmp_path / "netns")
    result = experiment("--topology", "regular:20,4", "--where", "netns", "--loss", "5%", "--floods", "6",
                        "--ttl", "2,3", "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.load(open(os.path.join(out, "summary.json")))
    assert summary["settings"]["loss_method"] in ("netem",
                                                  "iptables statistic DROP on INPUT (no sch_netem in this kernel)")
    assert "loss: 5%" in open(os.path.join(out, "summary.txt")).read()
    assert len(read_rows(out)) == 12
    tag = summary["settings"]["namespace_prefix"]
    listing = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert not [line for line in listing.splitlines() if line.startswith(f"{tag}-")]
    assert not processes_mentioning(out)


@needs_root
def test_netns_without_loss_matches_expected(tmp_path):
    out = str(tmp_path / "netns-clean")
    result = experiment("--topology", "regular:20,4", "--where", "netns", "--floods", "5", "--ttl", "3", "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert all(r["matches_expected"] == "True" for r in read_rows(out))


def line_with_a_dead_link(tmp_path):
    """p1 - p2 - p3 where the p1 - p2 link drops every datagram (both ways)."""
    path = tmp_path / "dead-link.json"
    path.write_text(json.dumps({
        "nodes": [{"name": f"p{n}", "address": f"10.0.0.{n}", "port": 5000 + n, "chunks": [n]} for n in (1, 2, 3)],
        "edges": [{"from": "p1", "to": "p2", "loss": "100%"}, ["p2", "p3"]]}))
    return str(path)


@needs_root
@pytest.mark.parametrize("where", ["netns", "mininet"])
def test_a_link_with_its_own_loss_drops_what_crosses_it(tmp_path, where):
    out = str(tmp_path / where)
    result = experiment("--topology", line_with_a_dead_link(tmp_path), "--where", where, "--floods", "4",
                        "--ttl", "2", "--no-replay", "--out", out)
    assert result.returncode == 1, result.stdout + result.stderr  # floods across the dead link miss expectations
    assert "per-link loss and delay: 2 directed link(s) with their own loss, 0 with their own delay" in result.stdout
    rows = read_rows(out)
    assert len(rows) == 4
    for row in rows:
        # p1 is cut off from p2 and p3: a flood reaches p1 only when it starts there, and loses its query over the
        # dead link whatever the contact (every contact is within 2 hops of that link).
        assert int(row["lost"]) >= 1, row
        assert int(row["peers_reached"]) == (1 if row["contact"] == "p1" else 2), row
    tag = json.load(open(os.path.join(out, "summary.json")))["settings"]["namespace_prefix"]
    listing = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert not tag or not [line for line in listing.splitlines() if line.startswith(f"{tag}-")]
    assert not processes_mentioning(out)


@needs_root
@pytest.mark.skipif(not os.path.exists("/usr/bin/mnexec"), reason="needs Mininet (Debian mininet)")
def test_mininet_twenty_hosts_match_expected_and_leave_no_bridge(tmp_path):
    out = str(tmp_path / "mininet")
    result = experiment("--topology", "regular:20,4", "--where", "mininet", "--floods", "5", "--ttl", "3",
                        "--no-replay", "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = read_rows(out)
    assert len(rows) == 5 and all(r["matches_expected"] == "True" and r["lost"] == "0" for r in rows)
    links = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True).stdout
    assert " s1:" not in links and "s1-eth" not in links


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_clients_metrics_reach_prometheus_through_node_exporter(tmp_path):
    import urllib.request
    from experiments import client_metrics
    out = str(tmp_path / "line")
    listen = f"127.0.0.1:{free_port()}"
    result = experiment("--topology", "line:4", "--ttl", "3", "--floods", "3", "--seed", "2", "--out", out,
                        "--no-replay", "--node-exporter", listen, "--loopback-base", str(BASE + 1))
    assert result.returncode == 0, result.stdout + result.stderr
    folder = os.path.join(out, "client-metrics")
    files = sorted(os.listdir(folder))
    assert files == ["experiment.prom", "ttl3-r1-flood1.prom", "ttl3-r1-flood2.prom", "ttl3-r1-flood3.prom"]
    assert 'p2p_experiment_running{experiment="line"} 0' in open(os.path.join(folder, "experiment.prom")).read()
    # The collector the runner started is gone with the run; a new one reads the same folder.
    exporter = client_metrics.start_node_exporter(folder, listen, str(tmp_path / "exporter.log"))
    try:
        text = urllib.request.urlopen(f"http://{listen}/metrics", timeout=10).read().decode()
    finally:
        exporter.terminate()
        exporter.wait(timeout=10)
    assert "node_textfile_scrape_error 0" in text
    completions = [line for line in text.splitlines() if line.startswith("p2p_client_completion_seconds_count{")]
    assert len(completions) == 3 and all(line.endswith(" 1") for line in completions), completions
    peers = [line for line in text.splitlines() if line.startswith("p2p_client_peers_fetched_from{")]
    assert len(peers) == 3 and all(float(line.split()[-1]) >= 1 for line in peers), peers
    assert not processes_mentioning(out)


def test_chosen_clients_flood_from_their_contacts_as_the_course_says(tmp_path):
    out = str(tmp_path / "chosen")
    result = experiment("--topology", os.path.join(ROOT, "Topologies", "course.json"), "--client", "p4:1,3,4,5,9",
                        "--client", "p1:5,6,7", "--out", out, "--no-replay")
    assert result.returncode == 0, result.stdout + result.stderr
    rows = {row["contact"]: row for row in read_rows(out)}
    assert sorted(rows) == ["p1", "p4"]
    # The course's floods at TTL 3 (PROTOCOL.md): 5 QUERYs from p4, 8 from p1, every peer reached.
    assert (rows["p4"]["asked"], rows["p4"]["queries"]) == ("1 3 4 5 9", "5")
    assert (rows["p1"]["asked"], rows["p1"]["queries"]) == ("5 6 7", "8")


def test_a_client_at_an_unknown_contact_is_refused_naming_it(tmp_path):
    result = experiment("--topology", os.path.join(ROOT, "Topologies", "course.json"), "--client", "p9:1",
                        "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "--client p9:1: the topology has no node 'p9'" in result.stderr
