"""tcpdump started and stopped cleanly: the pcap a scenario or experiment keeps in its run folder.

    capture = PacketCapture("OUT/capture.pcap", "lo", port_filter(5000, 5999))
    capture.start()          # returns once tcpdump is capturing
    ...                      # run peers and clients
    count = capture.stop()   # SIGINT: tcpdump writes its last packets and says how many it captured

Needs root (or CAP_NET_RAW) and Debian's tcpdump. `prefix` runs tcpdump inside something, e.g.
["ip", "netns", "exec", "ns"] to capture on a bridge in another namespace.
"""

import os
import re
import shutil
import signal
import subprocess
import time


class CaptureError(Exception):
    """tcpdump is missing, cannot capture on the interface, or did not stop; the message says which."""


def port_filter(low, high, nets=()):
    """A BPF filter for UDP on ports low-high, restricted to the given networks ("127.50.0.0/16") if any."""
    text = f"udp and portrange {low}-{high}"
    if nets:
        text += " and (" + " or ".join(f"net {net}" for net in sorted(set(nets))) + ")"
    return text


class PacketCapture:
    """One tcpdump process writing every matching packet, unbuffered, to `path`."""

    def __init__(self, path, interface, bpf, prefix=()):
        self.path, self.interface, self.bpf, self.prefix = path, interface, bpf, list(prefix)
        self.log_path = os.path.splitext(path)[0] + ".tcpdump.log"
        self.popen = None

    def start(self, timeout=10):
        """Starts tcpdump and waits until it captures (its "listening on" line), at most `timeout` seconds."""
        if not shutil.which("tcpdump"):
            raise CaptureError("--capture needs tcpdump (Debian tcpdump; Scripts/install-deps.sh installs it)")
        # -Z root: Debian's tcpdump otherwise opens the output file as user tcpdump, which cannot write here.
        argv = self.prefix + ["tcpdump", "-i", self.interface, "-w", self.path, "-U", "--immediate-mode", "-n",
                              "-Z", "root", self.bpf]
        with open(self.log_path, "wb") as log:
            self.popen = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while "listening on" not in self._log():
            if self.popen.poll() is not None:
                raise CaptureError(f"tcpdump could not capture on {self.interface}: {self._log().strip()}")
            if time.monotonic() > deadline:
                self.stop()
                raise CaptureError(f"tcpdump did not start capturing on {self.interface} within {timeout} s")
            time.sleep(0.02)

    def stop(self, timeout=10):
        """Stops tcpdump (SIGINT, then SIGKILL after `timeout` s); returns the packets it captured, or None."""
        if self.popen is None:
            return None
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGINT)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self.popen = None
        found = re.search(r"(\d+) packets? captured", self._log())
        return int(found.group(1)) if found else None

    def _log(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""
