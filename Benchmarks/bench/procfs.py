"""A running process's CPU time, read from /proc/<pid>; NaN when it cannot be read."""

import os

from bench import checkout  # noqa: F401  (puts Scripts/ on the import path)
from experiments import resources


def cpu_seconds(pid):
    """utime + stime of every thread so far, from /proc/<pid>/stat (clock ticks)."""
    seconds = resources.cpu_seconds(pid)
    return float("nan") if seconds is None else seconds


def cpu_ns(pid):
    """CPU time of every live thread in nanoseconds, from /proc/<pid>/task/*/schedstat (finer than ticks)."""
    total = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return float("nan")
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total
