"""tcpdump started and stopped cleanly: the pcap a scenario or experiment keeps in its run folder.

    capture = PacketCapture("OUT/capture.pcap", "lo", port_filter(5000, 5999))
    capture.start()          # returns once tcpdump is capturing
    ...                      # run peers and clients
    count = capture.stop()   # SIGTERM: tcpdump writes its last packets and says how many it captured

Needs root (or CAP_NET_RAW) and Debian's tcpdump. `prefix` runs tcpdump inside something, e.g.
["ip", "netns", "exec", "ns"] to capture on a bridge in another namespace. replay_capture() then turns the pcap
into trace segments (`p2ptrace import`) and replays them beside the run's own traces.
"""

import os
import re
import shutil
import signal
import subprocess
import time


# Runs a command with no signal blocked: a parent that blocks SIGTERM (as the Swift test runner does) would
# otherwise pass that on through exec, and tcpdump could then only be killed, without writing its statistics.
UNBLOCKED = ["/usr/bin/python3", "-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); "
             "os.execvp(sys.argv[1], sys.argv[1:])"]


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
        self.dropped = None

    def start(self, timeout=10):
        """Starts tcpdump and waits until it captures (its "listening on" line), at most `timeout` seconds."""
        if not shutil.which("tcpdump"):
            raise CaptureError("--capture needs tcpdump (Debian tcpdump; Scripts/install-deps.sh installs it)")
        # -Z root: Debian's tcpdump otherwise opens the output file as user tcpdump, which cannot write here.
        # -s/-B: room for 500 of the largest datagrams (65,507 bytes) in the kernel's ring; with the default
        # (2 MiB, 256 KiB a packet in immediate mode) a burst of eight on a loaded machine loses packets.
        argv = UNBLOCKED + self.prefix + ["tcpdump", "-i", self.interface, "-w", self.path, "-U", "--immediate-mode",
                                          "-n", "-Z", "root", "-s", "66000", "-B", "32768", self.bpf]
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
        """Stops tcpdump once it has caught up (SIGTERM, then SIGKILL after `timeout` s); returns the packets it
        captured, or None."""
        if self.popen is None:
            return None
        if self.popen.poll() is None:
            self._catch_up(timeout)
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self.popen = None
        found = re.findall(r"^(\d+) packets? captured", self._log(), re.MULTILINE)
        dropped = re.findall(r"^(\d+) packets? dropped by kernel", self._log(), re.MULTILINE)
        self.dropped = int(dropped[-1]) if dropped else None
        return int(found[-1]) if found else None

    def summary(self, packets, path=None):
        """What stop() said, for a run's summary: "PATH (N packets)", and how many the kernel dropped if any."""
        lost = f", {self.dropped} dropped by the kernel" if self.dropped else ""
        return f"{path or self.path} ({packets} packets{lost})"

    def _catch_up(self, timeout):
        """Waits until tcpdump's count of captured packets holds still between two of its reports (SIGUSR1).

        On SIGTERM tcpdump leaves whatever the kernel still holds for it unread: on a loaded machine that can be
        the last datagrams of a run. A report is only written when tcpdump runs, and it then reads what is
        pending before the next one."""
        reports, last = 0, None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.popen.poll() is None:
            self.popen.send_signal(signal.SIGUSR1)
            time.sleep(0.1)
            counts = re.findall(r"^tcpdump: (\d+) packets? captured", self._log(), re.MULTILINE)
            if len(counts) == reports:
                continue
            reports = len(counts)
            if counts[-1] == last:
                return
            last = counts[-1]

    def _log(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""


def has_import(p2ptrace):
    """Whether this p2ptrace can turn captures into traces (`p2ptrace import`)."""
    try:
        listing = subprocess.run([p2ptrace, "--help"], capture_output=True, text=True, timeout=60).stdout
    except OSError:
        return False
    return re.search(r"^\s+import\b", listing, re.MULTILINE) is not None


def replay_capture(p2ptrace, pcap, folder):
    """`p2ptrace import PCAP` into FOLDER/capture-traces, replayed into FOLDER/capture-replay.{txt,json}.

    Returns (ok, a line saying what was written or what failed); ok with nothing done when p2ptrace has no import.
    """
    if not has_import(p2ptrace):
        return True, f"{pcap} kept; not replayed: this p2ptrace has no `import`"
    traces = os.path.join(folder, "capture-traces")
    steps = [["import", pcap, "--trace-dir", traces]]
    steps += [["replay", traces, "--format", f, "--output", os.path.join(folder, f"capture-replay.{e}")]
              for f, e in (("text", "txt"), ("json", "json"))]
    for step in steps:
        result = subprocess.run([p2ptrace, *step], capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            return False, f"p2ptrace {' '.join(step)} failed: {result.stderr.strip()[-800:]}"
    return True, f"replayed from {pcap}: {os.path.join(folder, 'capture-replay.txt')} and .json"
