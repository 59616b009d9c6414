"""Memory and CPU of a step's peers, read from /proc: proportional set size (PSS), resident set size (RSS) and CPU
time per flood."""

import os

TICKS = os.sysconf("SC_CLK_TCK")


def kib_field(path, name):
    """The KiB figure on the line `name: N kB` of a /proc file, or None when it cannot be read."""
    try:
        with open(path, encoding="ascii") as f:
            for line in f:
                if line.startswith(name + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def pss_kib(pid):
    """The process's PSS in KiB (/proc/PID/smaps_rollup), or None when it cannot be read."""
    return kib_field(f"/proc/{pid}/smaps_rollup", "Pss")


def rss_kib(pid):
    """The process's resident set size in KiB (VmRSS in /proc/PID/status), or None when it cannot be read."""
    return kib_field(f"/proc/{pid}/status", "VmRSS")


def cpu_seconds(pid):
    """User plus system CPU time of the process so far, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS
    except (OSError, ValueError, IndexError):
        return None


def cpu_of(peers):
    """pid -> CPU seconds of every running peer."""
    return {p.popen.pid: cpu_seconds(p.popen.pid) for p in peers}


def usage(peers, cpu_before, floods):
    """What the peers used during `floods` floods: PSS and RSS per peer (MiB) and their CPU time per flood (ms)."""
    pss = [v for v in (pss_kib(p.popen.pid) for p in peers) if v is not None]
    rss = [v for v in (rss_kib(p.popen.pid) for p in peers) if v is not None]
    after = cpu_of(peers)
    spent = sum(after[pid] - before for pid, before in cpu_before.items()
                if before is not None and after.get(pid) is not None)
    return {
        "peers": len(peers), "measured": len(pss),
        "pss_mib_mean": round(sum(pss) / len(pss) / 1024, 2) if pss else None,
        "pss_mib_min": round(min(pss) / 1024, 2) if pss else None,
        "pss_mib_max": round(max(pss) / 1024, 2) if pss else None,
        "rss_mib_mean": round(sum(rss) / len(rss) / 1024, 2) if rss else None,
        "peer_cpu_s": round(spent, 2),
        "peer_cpu_ms_per_flood": round(spent * 1000 / floods, 1) if floods else None,
    }


def text(figures):
    """One line: `PSS per peer 4.4 MiB (4.1-5.0, 1000 peers), peer CPU 12.3 ms per flood (1.2 s in all)`."""
    if figures.get("pss_mib_mean") is None:
        return f"PSS not readable for {figures['peers']} peers"
    return (f"PSS per peer {figures['pss_mib_mean']} MiB ({figures['pss_mib_min']}-{figures['pss_mib_max']}, "
            f"{figures['measured']} peers), peer CPU {figures['peer_cpu_ms_per_flood']} ms per flood "
            f"({figures['peer_cpu_s']} s in all)")
