"""Processes the suite starts: servers it stops by pid, and commands it runs to the end and times."""

import os
import subprocess
import time

from bench import procfs


class Proc:
    """A server process we started, its output in `log_path`; stopped with SIGTERM (then SIGKILL) by its pid."""

    def __init__(self, argv, log_path, cwd=None):
        self.argv = argv
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.popen = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT, cwd=cwd)
        self.pid = self.popen.pid

    def cpu_seconds(self):
        return procfs.cpu_seconds(self.pid)

    def cpu_ns(self):
        return procfs.cpu_ns(self.pid)

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
    """Runs a command to completion (killed after `timeout` s): (exit status, stdout, stderr, wall seconds)."""
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
    """CPU seconds of every child process waited for so far (user + system)."""
    usage = os.times()
    return usage.children_user + usage.children_system
