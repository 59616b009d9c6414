#!/usr/bin/env bash
# The main job: build, run the course topology on loopback with traces and metrics, run both example clients,
# and replay the flood. No root, no set-up beyond a Swift toolchain.
#
#   Scripts/run-course.sh [--out runs/course-<time>] [--course ../shared/fixtures/course] [--debug] [--bin-dir DIR]
#                         [--capture]
#
# --bin-dir uses the peer, client and p2ptrace already built in DIR instead of building them. --capture (root,
# tcpdump) keeps every datagram of the run in OUT/capture.pcap (tcpdump on lo, ports 5001-5005 of 127.0.0.1) and,
# with a p2ptrace that has `import`, replays it into OUT/capture-replay.{txt,json}; tshark reads it with
# `tshark -r OUT/capture.pcap -X lua_script:Scripts/wireshark/p2pchunks.lua`.
# The course scenario itself is Scripts/experiments/course_scenario.py (`course.py run --where loopback`), shared
# with course_netns.sh and course_mininet.py. Peer N listens on 127.0.0.1:500N (neighbours from
# Topologies/course.json), traces into OUT/traces/hN and serves /metrics on 127.0.0.1:910N. The example clients
# write into OUT/clients/h6 and h7 (traces in OUT/traces/h6 and h7). Then the peers stop (SIGTERM) and
# `p2ptrace replay` writes OUT/replay.{txt,json,dot,html}; Scripts/course.py check (OUT/check.txt) checks client
# logs, chunk files, flood trees and replay. Exit status 0 when both clients got what the course says they get.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COURSE=${COURSE_DIR:-$ROOT/../shared/fixtures/course}
OUT=$ROOT/runs/course-$(date -u +%Y%m%dT%H%M%SZ)
CONFIG=release
BIN=
CAPTURE=()
while (($#)); do
    case $1 in
        --out) OUT=$2; shift 2 ;;
        --course) COURSE=$2; shift 2 ;;
        --debug) CONFIG=debug; shift ;;
        --bin-dir) BIN=$2; shift 2 ;;
        --capture) CAPTURE=(--capture); shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "run-course: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
if [[ -z $BIN ]]; then
    # The C libraries the package links (installed as root, else named).
    "$ROOT/Scripts/install-deps.sh" --build || exit 2
    echo "== building ($CONFIG)"
    for product in peer client p2ptrace; do
        if ! build_log=$(cd "$ROOT" && swift build -c "$CONFIG" --product "$product" 2>&1); then
            echo "$build_log" >&2; echo "run-course: building $product failed" >&2; exit 1
        fi
    done
    BIN=$(cd "$ROOT" && swift build -c "$CONFIG" --show-bin-path)
fi
exec /usr/bin/python3 "$ROOT/Scripts/course.py" run --where loopback --name run-course --bin-dir "$BIN" \
    --course "$COURSE" --out "$OUT" "${CAPTURE[@]}"
