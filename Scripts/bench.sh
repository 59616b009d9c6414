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
# Other options are passed to Benchmarks/bench.py (see `python3 Benchmarks/bench.py --help`), the entry point of the
# package Benchmarks/bench/ (one module per section). The scale section runs Scripts/experiment.py with Debian's
# python3 (python3-networkx, python3-matplotlib: Scripts/install-deps.sh).
# The load runs (peer throughput, metrics-bench) start their peers with --response-rate-limit 0: one generator
# address takes every answer, which the default per-address response budget would cap at 2048 a second.
# Environment: BENCH_SCRATCH (default .build-bench-release), COURSE_DATA (default ../shared/fixtures/course).
set -euo pipefail
cd "$(dirname "$0")/.."

scratch="${BENCH_SCRATCH:-.build-bench-release}"
course="${COURSE_DATA:-../shared/fixtures/course}"
[[ -d "$course/Chunks" ]] || { echo "bench.sh: course data not found at $course (set COURSE_DATA)" >&2; exit 1; }

# build PACKAGE_DIR SCRATCH PRODUCT: a release build, tried again a couple of times (a source edited during the
# build, in a shared checkout, fails it).
build() {
    echo "building $3 (release)" >&2
    for attempt in 1 2 3; do
        swift build -c release --package-path "$1" --scratch-path "$2" --product "$3" >&2 && return 0
        [[ $attempt == 3 ]] && { echo "bench.sh: cannot build $3" >&2; exit 1; }
        sleep 2
    done
}
for product in peer client p2pload p2ptrace; do build . "$scratch" "$product"; done
bin_dir="$(swift build -c release --scratch-path "$scratch" --show-bin-path)"
# The whole-system benches live in the Benchmarks package (beside its micro-benchmarks); building them does not
# build the benchmark tool. Only the sections that run them build them.
tools_scratch="$PWD/$scratch-benchmarks"
tools=()
only="all"
for ((i = 1; i <= $#; i++)); do [[ "${!i}" == --only ]] && { j=$((i + 1)); only="${!j}"; }; done
for section in trace replay metrics; do
    [[ "$only" == all || ",$only," == *",$section,"* ]] && tools+=("$section-bench")
done
tools_dir="$bin_dir"
if ((${#tools[@]})); then
    for tool in "${tools[@]}"; do build Benchmarks "$tools_scratch" "$tool"; done
    tools_dir="$(swift build -c release --package-path Benchmarks --scratch-path "$tools_scratch" --show-bin-path)"
fi

gcc -O2 -Wall -o "$scratch/c-responder" Benchmarks/c-responder.c
gcc -O2 -Wall -o "$scratch/c-responder-batched" Benchmarks/c-responder-batched.c

exec python3 Benchmarks/bench.py --bin-dir "$bin_dir" --tools-dir "$tools_dir" --c-responder "$scratch/c-responder" \
    --c-responder-batched "$scratch/c-responder-batched" --course "$course" "$@"
