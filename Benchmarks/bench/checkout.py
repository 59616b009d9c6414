"""The checkout the suite runs from: its folders, its commit, and Scripts/ on the import path."""

import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPTS = os.path.join(ROOT, "Scripts")
if SCRIPTS not in sys.path:
    sys.path.insert(0, SCRIPTS)


def commit():
    """(short commit id, whether tracked files differ from it)."""
    head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    status = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                            capture_output=True, text=True)
    return head.stdout.strip(), bool(status.stdout.strip())


def default_compression_level():
    """The trace writer's default compression level, read from its source (the level the peer runs with)."""
    try:
        with open(os.path.join(ROOT, "Sources/ChunkTrace/TraceSegmentWriter.swift")) as f:
            m = re.search(r"compressionLevel: Int = (\d+)", f.read())
        return int(m.group(1)) if m else 1
    except OSError:
        return 1
