#!/usr/bin/env bash
# Runs every test: the Swift test suites (unit, loopback, real processes, real promtool/Prometheus/zcat/jq/dot/
# chromium), then the scenario checks that need root (namespaces, Mininet). Exit status 0 when all pass.
#
#   Scripts/test.sh            # what CI runs (.ci/run installs the tools first)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

echo "== swift test"
swift build --build-tests
swift test
