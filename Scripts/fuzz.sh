#!/usr/bin/env bash
# Builds the libFuzzer targets under Fuzz/ and runs each for a bounded time; fails on the first input that crashes.
#
#   Scripts/fuzz.sh                      # every target, 20 s each
#   Scripts/fuzz.sh 300 FuzzTraceLine    # one target, 5 minutes
#
# Targets: FuzzWireDecoder (datagram decoder), FuzzTraceLine (trace-line decoder), FuzzMetricsRequest (/metrics
# request handling), FuzzKeyValues (key-values parser), FuzzReplay (replay and every renderer over small trace sets).
# They are seen by the package only when P2P_FUZZ_TARGETS=1, and are built into .build-fuzz (P2P_FUZZ_SCRATCH)
# with SwiftPM's --sanitize=fuzzer (libFuzzer provides main) and swiftc's -sanitize=fuzzer,address on every module
# (swiftc keeps only its last -sanitize=: SwiftPM's --sanitize=fuzzer --sanitize=address leaves Swift code without
# coverage).
# Each run starts from the seeds in Fuzz/Corpus/<target> and from the corpus kept in P2P_FUZZ_WORK (default
# /tmp/p2p-fuzz, not in git); crashing inputs are written to P2P_FUZZ_WORK/crashes/<target>/.
# Prints, per target, libFuzzer's executions and coverage (cov: edges, ft: features) at the end of its run.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

seconds=${1:-20}
if [[ ! $seconds =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 [seconds] [target...]; '$seconds' is not a number of seconds" >&2
    exit 2
fi
(($# == 0)) || shift
targets=("$@")
if ((${#targets[@]} == 0)); then
    for main in Fuzz/*/main.swift; do targets+=("$(basename "$(dirname "$main")")"); done
fi
for target in "${targets[@]}"; do
    [[ -f Fuzz/$target/main.swift ]] || { echo "no fuzz target $target (Fuzz/$target/main.swift)" >&2; exit 2; }
done
work=${P2P_FUZZ_WORK:-/tmp/p2p-fuzz}
export P2P_FUZZ_TARGETS=1
build=(swift build --scratch-path "${P2P_FUZZ_SCRATCH:-$ROOT/.build-fuzz}" -c "${P2P_FUZZ_CONFIGURATION:-debug}"
    --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)

started=$SECONDS
for target in "${targets[@]}"; do "${build[@]}" --product "$target"; done
echo "== fuzz targets built in $((SECONDS - started)) s"
bin=$("${build[@]}" --show-bin-path)

export SWIFT_BACKTRACE=enable=no
failed=0
for target in "${targets[@]}"; do
    corpus=$work/corpus/$target crashes=$work/crashes/$target log=$work/$target.log
    mkdir -p "$corpus" "$crashes"
    status=0
    # -timeout: a hang, not a slow input on a loaded machine (0.2 s of CPU took 14 s there).
    "$bin/$target" -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=4096 -timeout=60 \
        -artifact_prefix="$crashes/" "$corpus" "Fuzz/Corpus/$target" >"$log" 2>&1 || status=$?
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    coverage=$(grep -a -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
    echo "$target: ${executions:-?} executions in $seconds s, ${coverage:-no coverage reported}, corpus $corpus"
    if ((status != 0)); then
        input=$(grep -a -o "Test unit written to .*" "$log" | sed 's/^Test unit written to //' | tail -1)
        grep -a -m1 -B2 -A12 -e '==ERROR' -e 'Fatal error' -e 'Precondition failed' -e 'deadly signal' "$log" >&2 || true
        echo "$target FAILED (exit $status): crashing input ${input:-not written}; log $log" >&2
        failed=1
    fi
done
exit "$failed"
