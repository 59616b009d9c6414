"""Waiting until a server answers, asked with the project's own load generator (no hand-made datagram)."""

import json
import os
import time

from bench.processes import run_timed


def answers_once(bin_dir, address, chunk):
    """Whether one `p2pload` GET for `chunk` to `address` got its RESPONSE."""
    argv = [os.path.join(bin_dir, "p2pload"), address, "--chunk", str(chunk), "--count", "1", "--sockets", "1",
            "--window", "1", "--duration", "0.5", "--drain-ms", "100"]
    status, out, _, _ = run_timed(argv, 10)
    try:
        return status == 0 and json.loads(out.strip().splitlines()[-1])["answers"] >= 1
    except (ValueError, IndexError, KeyError, TypeError):
        return False


def wait_serving(bin_dir, address, chunk, seconds=10.0):
    """Asks until the server at `address` answers a GET for `chunk` (True) or `seconds` pass (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if answers_once(bin_dir, address, chunk):
            return True
        time.sleep(0.05)
    return False
