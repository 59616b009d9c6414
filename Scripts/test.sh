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

echo "== swift format lint --strict (the rules in .swift-format; \`swift format -i -r Sources Tests\` fixes most)"
swift format lint --strict -r Sources Tests Fuzz Package.swift Benchmarks/Package.swift Benchmarks/Sources/BenchSupport \
    Benchmarks/Sources/*-bench Benchmarks/*Benchmarks

echo "== no function over 60 lines, Benchmarks/Package.swift in step with Package.swift, ARCHITECTURE.md true to both"
# 1 to 6 s together: a scan of every .swift file, then `swift package dump-package` of the manifests (no build).
/usr/bin/python3 Scripts/long_functions.py Sources Tests Fuzz Benchmarks
/usr/bin/python3 Scripts/check_benchmarks_manifest.py
/usr/bin/python3 Scripts/check_architecture_map.py

echo "== swift test"
swift build --build-tests
swift test

echo "== Scripts/tests (pytest: topology files and generators, the experiment runner, the Wireshark dissector)"
/usr/bin/python3 -m pytest -q Scripts/tests

echo "== zlib-only build (package trait ISAL off): builds, passes the trace tests, links no ISA-L"
zlib_only=(--disable-default-traits --scratch-path .build-zlib-only)
# As root, ISA-L's headers and library are hidden in a private mount namespace, so the build cannot use them.
without_isal() {
    if [[ $(id -u) -eq 0 ]] && command -v unshare >/dev/null; then
        unshare --mount --propagation private bash -c '
            set -e
            if [[ -d /usr/include/isa-l ]]; then mount -t tmpfs hidden-isa-l /usr/include/isa-l; fi
            for library in /usr/lib/*/libisal.so* /usr/lib/libisal.so*; do
                if [[ -e $library ]]; then mount --bind /dev/null "$library"; fi
            done
            exec "$@"' without-isal "$@"
    else
        "$@"
    fi
}
without_isal swift build --build-tests "${zlib_only[@]}"
bin=$(swift build "${zlib_only[@]}" --show-bin-path)
for executable in peer client p2ptrace p2pload; do
    if readelf -d "$bin/$executable" | grep -q libisal; then
        echo "the zlib-only $executable needs libisal: $(readelf -d "$bin/$executable" | grep libisal)" >&2
        exit 1
    fi
done
without_isal swift test "${zlib_only[@]}" --skip-build \
    --filter 'ChunkTraceTests|TraceEndToEndTests|CommandLineTests|PluralsTests'

echo "== the Docker image's runtime stage, in a debootstrapped Debian (Scripts/docker/check-runtime-stage.sh)"
status=0
Scripts/docker/check-runtime-stage.sh || status=$?
if ((status == 77)); then
    echo "skipped: the reason is printed above"
elif ((status != 0)); then
    exit "$status"
fi

echo "== fuzzing, each target 20 s (Scripts/fuzz.sh; the fuzz build goes to .build-fuzz)"
Scripts/fuzz.sh 20
