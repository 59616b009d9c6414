#!/usr/bin/env bash
# Runs every test: unit tests, loopback and real-process tests, real promtool/Prometheus/zcat/jq/dot/chromium, and
# the scenarios that need root (namespaces, Mininet). Exit status 0 when all pass.
#
#   Scripts/test.sh            # what CI runs; first installs (as root) the Debian packages the tests use
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

Scripts/install-deps.sh

# The OTLP export test parses p2ptrace's output with the opentelemetry-proto package (PyPI), in a venv kept between runs.
export P2P_OTLP_VENV=${P2P_OTLP_VENV:-/tmp/p2p-otlp-venv}
if ! "$P2P_OTLP_VENV/bin/python" -c 'import opentelemetry.proto' 2>/dev/null; then
    echo "== venv $P2P_OTLP_VENV with opentelemetry-proto"
    python3 -m venv "$P2P_OTLP_VENV"
    "$P2P_OTLP_VENV/bin/pip" install -q opentelemetry-proto
fi

echo "== swift test"
swift build --build-tests
swift test
