#!/usr/bin/env python3
"""The benchmark suite's driver. Run it through Scripts/bench.sh, which builds what it needs first.

Prints a table of figures (medians over repeated, alternating runs; ratios taken side by side in the same round)
and writes the same figures as JSON. Asserts nothing: goals are reported as met or not. The sections live in the
package beside this file (Benchmarks/bench/).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench.main import main  # noqa: E402

if __name__ == "__main__":
    main(description=__doc__)
