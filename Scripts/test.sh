#!/usr/bin/env bash
# Runs every test: unit tests, loopback and real-process tests, real promtool/Prometheus/zcat/jq/dot/chromium, and
# the scenarios that need root (namespaces, Mininet). Exit status 0 when all pass.
#
#   Scripts/test.sh            # what CI runs; first installs (as root) the Debian packages the tests use
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

Scripts/install-deps.sh

echo "== swift test"
swift build --build-tests
swift test

echo "== Scripts/tests (pytest: topology files, experiments on loopback and, as root, in namespaces)"
BIN_DIR=$(swift build --show-bin-path) flock /tmp/p2p-e2e.lock /usr/bin/python3 -m pytest -q Scripts/tests
