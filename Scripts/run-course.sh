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
# Peer N listens on 127.0.0.1:500N (neighbours from Topologies/course.json), traces into OUT/traces and serves
# /metrics on 127.0.0.1:910N. The clients write into OUT/clients/{first,second}. Then the peers stop (SIGTERM) and
# `p2ptrace replay` writes OUT/replay.{txt,json,dot,html}. Exit status 0 when both clients got what the course
# says they get.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COURSE=${COURSE_DIR:-$ROOT/../shared/fixtures/course}
OUT=$ROOT/runs/course-$(date -u +%Y%m%dT%H%M%SZ)
CONFIG=release
BIN=
CAPTURE=0
while (($#)); do
    case $1 in
        --out) OUT=$2; shift 2 ;;
        --course) COURSE=$2; shift 2 ;;
        --debug) CONFIG=debug; shift ;;
        --bin-dir) BIN=$2; shift 2 ;;
        --capture) CAPTURE=1; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "run-course: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
[[ -d $COURSE/Chunks && -d $COURSE/Key-values-files ]] || {
    echo "run-course: no course data in $COURSE (expected Chunks/ and Key-values-files/; set --course)" >&2; exit 2; }

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
for product in peer client p2ptrace; do
    [[ -x $BIN/$product ]] || { echo "run-course: no $product in $BIN (build it or drop --bin-dir)" >&2; exit 2; }
done

mkdir -p "$OUT/data" "$OUT/traces" "$OUT/clients" "$OUT/logs" "$OUT/metrics"
OUT=$(cd "$OUT" && pwd)
# Key-values files name their chunks relative to their own folder: put both side by side.
ln -sf "$(cd "$COURSE/Chunks" && pwd)"/* "$(cd "$COURSE/Key-values-files" && pwd)"/* "$OUT/data/"

# shellcheck source=Scripts/capture.bash
source "$ROOT/Scripts/capture.bash"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [[ -n $CAPTURE_PID ]]; then capture_stop; echo "== capture: $CAPTURE_SUMMARY"; fi
}
trap cleanup EXIT

if ((CAPTURE)); then
    capture_start "$OUT/capture.pcap" lo "udp and portrange 5001-5005 and host 127.0.0.1" || exit 1
fi

echo "== starting five peers on 127.0.0.1:5001-5005 (metrics on :9101-9105)"
for n in 1 2 3 4 5; do
    # The course addresses 10.0.0.M:500M, moved to 127.0.0.1 with the same ports.
    mapfile -t neighbours < <(/usr/bin/python3 "$ROOT/Scripts/topology.py" neighbours "$ROOT/Topologies/course.json" \
        "p$n" | sed 's/^[0-9.]*:/127.0.0.1:/')
    "$BIN/peer" "127.0.0.1:500$n" "$OUT/data/key-values-files_peer$n" "${neighbours[@]}" \
        --trace-dir "$OUT/traces" --metrics "127.0.0.1:910$n" >"$OUT/logs/peer$n.log" 2>&1 &
    PIDS+=($!)
done
# A peer is up once its metrics endpoint answers; one that exited (a port in use) stops the run.
for n in 1 2 3 4 5; do
    for _ in $(seq 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/910$n") 2>/dev/null; then break; fi
        if ! kill -0 "${PIDS[$((n - 1))]}" 2>/dev/null; then
            echo "run-course: peer $n did not start:" >&2; cat "$OUT/logs/peer$n.log" >&2; exit 1
        fi
        sleep 0.05
    done
done

run_client() {  # name contact chunks
    local name=$1 contact=$2 chunks=$3 start end
    start=$(date +%s%N)
    "$BIN/client" "$contact" "$chunks" --output-dir "$OUT/clients/$name" --trace-dir "$OUT/traces" \
        --metrics-file "$OUT/metrics/client-$name.prom" >"$OUT/logs/client-$name.log" 2>&1
    end=$(date +%s%N)
    echo "== client $contact $chunks ($(( (end - start) / 1000000 )) ms): $OUT/clients/$name/output-127.0.0.1.log"
    sed 's/^/   /' "$OUT/clients/$name/output-127.0.0.1.log"
}
run_client first 127.0.0.1:5004 1,3,4,5,9
run_client second 127.0.0.1:5001 5,6,7

echo "== contact peer p4's message counters (http://127.0.0.1:9104/metrics)"
exec 3<>/dev/tcp/127.0.0.1/9104
printf 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
grep -E '^p2p_messages_(sent|received)_total\{type="(hello|query|chunk_info)"\}' <&3 | sed 's/^/   /' || true
exec 3<&-

cleanup
PIDS=()

echo "== replay of the traces in $OUT/traces"
"$BIN/p2ptrace" replay "$OUT/traces" | tee "$OUT/replay.txt"
for format in json dot html; do
    "$BIN/p2ptrace" replay "$OUT/traces" --format "$format" --output "$OUT/replay.$format"
done
echo "== replay written to $OUT/replay.{txt,json,dot,html}"

status=0
if ((CAPTURE)); then
    if capture_replay "$BIN/p2ptrace" "$OUT"; then
        echo "== capture: $CAPTURE_REPLAY"
    else
        echo "!! capture: $CAPTURE_REPLAY" >&2; status=1
    fi
fi
check() {  # dir id
    if ! cmp -s "$OUT/clients/$1/chunk$2.m4s" "$COURSE/Chunks/BigBuckBunny_$2.m4s"; then
        echo "!! $1: chunk$2.m4s is missing or differs from the course chunk" >&2; status=1
    fi
}
for id in 1 3 5 9; do check first "$id"; done
for id in 5 6 7; do check second "$id"; done
grep -qx '0.0.0.0:0 - 4' "$OUT/clients/first/output-127.0.0.1.log" || { echo "!! chunk 4 not logged missing" >&2; status=1; }
((status == 0)) && echo "== all chunks arrived byte-identical; chunk 4 is held by no peer, as in the course"
exit $status
