"""The course scenario on loopback as a user runs it (Scripts/run-course.sh --bin-dir): real peers and clients,
what it prints and leaves in its run folder, and a peer that cannot start. Needs built binaries (BIN_DIR or
.build/debug) and the course data; ports 5001-5005 and 9101-9105 of 127.0.0.1."""
import json
import os
import socket
import subprocess

import pytest

from conftest import ROOT, SCRIPTS

BIN_DIR = os.environ.get("BIN_DIR") or os.path.join(ROOT, ".build", "debug")
COURSE = os.environ.get("COURSE_DIR") or os.path.join(ROOT, "..", "shared", "fixtures", "course")
pytestmark = pytest.mark.skipif(not os.access(os.path.join(BIN_DIR, "peer"), os.X_OK),
                                reason=f"no built peer in {BIN_DIR} (run swift build or set BIN_DIR)")


def run_course(out):
    return subprocess.run([os.path.join(SCRIPTS, "run-course.sh"), "--bin-dir", BIN_DIR, "--course", COURSE,
                           "--out", out], capture_output=True, text=True, timeout=300)


def peers_of(out):
    """Pids of the processes still running from this run folder."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if out.encode() in f.read():
                    found.append(pid)
        except OSError:
            pass
    return found


def lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


def test_run_course_prints_the_course_outcome_and_leaves_its_results(tmp_path):
    out = str(tmp_path / "course")
    result = run_course(out)
    assert result.returncode == 0, result.stdout + result.stderr
    for section in ("== peers: 127.0.0.1:5001-5005 up", "== client 127.0.0.1:5004 1,3,4,5,9 on h6",
                    "== client 127.0.0.1:5001 5,6,7 on h7", "== contact peer p4's message counters",
                    "== replay of the traces in", "== all chunks arrived byte-identical"):
        assert section in result.stdout, result.stdout
    assert 'p2p_messages_received_total{type="hello"} 1' in result.stdout
    h6 = lines(os.path.join(out, "clients", "h6", "output-127.0.0.1.log"))
    assert sorted(h6[:4]) == ["127.0.0.1:5001 - 5", "127.0.0.1:5002 - 1", "127.0.0.1:5003 - 3", "127.0.0.1:5005 - 9"]
    assert h6[4:] == ["0.0.0.0:0 - 4"]
    for chunk in (5, 6, 7):
        with open(os.path.join(out, "clients", "h7", f"chunk{chunk}.m4s"), "rb") as got, \
                open(os.path.join(COURSE, "Chunks", f"BigBuckBunny_{chunk}.m4s"), "rb") as want:
            assert got.read() == want.read()
    with open(os.path.join(out, "replay.json"), encoding="utf-8") as f:
        floods = json.load(f)["floods"]
    assert len(floods) == 2
    for ext in ("txt", "dot", "html"):
        assert os.path.getsize(os.path.join(out, f"replay.{ext}")) > 0
    assert "0 failed" in lines(os.path.join(out, "check.txt"))[-1]
    assert peers_of(out) == []


def test_a_peer_that_cannot_start_is_named_and_nothing_is_left(tmp_path):
    out = str(tmp_path / "busy")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as busy:
        busy.bind(("127.0.0.1", 5003))
        result = run_course(out)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "peer p3 (127.0.0.1:5003) did not start" in result.stderr, result.stderr
    assert peers_of(out) == []
