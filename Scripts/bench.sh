#!/usr/bin/env bash
# The benchmark suite in one command: builds release binaries, compiles the C reference responders (plain
# recvfrom/sendto and batched recvmmsg/sendmmsg), runs every
# benchmark, prints a table and writes bench-results/<UTC time>.json.
#
#   Scripts/bench.sh            full suite (~10 minutes on 2 cores)
#   Scripts/bench.sh --quick    fewer rounds and sizes (~2 minutes)
#   Scripts/bench.sh --only throughput,client    a subset (sections: throughput client bulk trace
#                                                replay metrics scale)
#
# Other options are passed to Benchmarks/bench.py (see `python3 Benchmarks/bench.py --help`).
# The load runs (peer throughput, metrics-bench) start their peers with --response-rate-limit 0: one generator
# address takes every answer, which the default per-address response budget would cap at 2048 a second.
# Environment: BENCH_SCRATCH (default .build-bench-release), COURSE_DATA (default ../shared/fixtures/course).
set -euo pipefail
cd "$(dirname "$0")/.."

scratch="${BENCH_SCRATCH:-.build-bench-release}"
course="${COURSE_DATA:-../shared/fixtures/course}"
[[ -d "$course/Chunks" ]] || { echo "bench.sh: course data not found at $course (set COURSE_DATA)" >&2; exit 1; }

products=(peer client p2pload)
for optional in trace-bench replay-bench metrics-bench; do
    grep -q "name: \"$optional\"" Package.swift && products+=("$optional")
done
# replay-bench times `p2ptrace replay` from the same folder.
[[ " ${products[*]} " == *" replay-bench "* ]] && products+=(p2ptrace)
for product in "${products[@]}"; do
    echo "building $product (release)" >&2
    # A source edited during the build (a shared checkout) fails it; try again a couple of times.
    for attempt in 1 2 3; do
        swift build -c release --scratch-path "$scratch" --product "$product" >&2 && break
        [[ $attempt == 3 ]] && { echo "bench.sh: cannot build $product" >&2; exit 1; }
        sleep 2
    done
done
bin_dir="$(swift build -c release --scratch-path "$scratch" --show-bin-path)"

gcc -O2 -Wall -o "$scratch/c-responder" Benchmarks/c-responder.c
gcc -O2 -Wall -o "$scratch/c-responder-batched" Benchmarks/c-responder-batched.c

exec python3 Benchmarks/bench.py --bin-dir "$bin_dir" --c-responder "$scratch/c-responder" \
    --c-responder-batched "$scratch/c-responder-batched" --course "$course" "$@"
