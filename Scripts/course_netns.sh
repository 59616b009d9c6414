#!/usr/bin/env bash
# The course scenario in plain network namespaces (for machines without Mininet).
#
#   sudo Scripts/course_netns.sh [--bin-dir .build/release] [--course ../shared/fixtures/course] [--out runs/netns-...]
#        [--loss 10% [--loss-host h6 | --loss-link h4,h5] [--loss-method auto|netem|iptables]]
#        [--hello-retries N] [--retries N]
#        [--client-timeout S] [--repeat N] [--trace-segment-seconds S] [--prometheus] [--traffic ROUNDS]
#        [--check-dashboards] [--hold SECONDS] [--capture]
#
# Examples:
#   swift build -c release && sudo Scripts/course_netns.sh
#   sudo Scripts/course_netns.sh --loss 10%                 # loss on h6's link, client retries 3/5
#   sudo Scripts/course_netns.sh --check-dashboards         # real Prometheus + every dashboard query (10% loss h4-h5)
#
# What it does: creates namespaces <tag>-sw (a Linux bridge br0), <tag>-h1 ... <tag>-h7 (and <tag>-mon with
# --prometheus), each host on 10.0.0.N/24 with a veth into the bridge; nothing is added to the root namespace.
# Peer N runs in hN on 10.0.0.N:500N with its course neighbours, traces into OUT/traces/hN and serves /metrics on
# 10.0.0.N:910N. Then it runs `client 10.0.0.4:5004 1,3,4,5,9` in h6 and `client 10.0.0.1:5001 5,6,7` in h7
# (outputs in OUT/clients/h6 and h7), stops the peers (SIGTERM), runs `p2ptrace replay OUT/traces` into
# OUT/replay.{txt,json,dot,html} (and `p2ptrace stats`/`check`), writes OUT/prometheus.yml scraping the five peers,
# and checks everything with Scripts/course.py check. Exit status 0 = all good.
#
# --loss applies `tc qdisc ... netem loss` to both directions of one host's link; kernels without sch_netem get the
# same loss from an iptables `statistic --mode random` rule inside that host's namespace (--loss-method auto), and
# the summary says how many datagrams were dropped. --loss-link hA,hB instead loses datagrams between those two
# hosts only, both ways (iptables rules in both namespaces), e.g. the p4-p5 link. --repeat N runs h6's example
# client N times in all (into OUT/clients/h6, h6-2, ...; each is checked), so that loss is sure to hit some of them.
# Every client writes its final metrics (--metrics-file) into OUT/client-metrics, with the run's start/stop marker
# (p2p_experiment_running, the dashboards' annotation). With --prometheus, a real /usr/bin/prometheus runs in
# <tag>-mon (10.0.0.8) on 127.0.0.1:9090 of that namespace, scraping every second the peers and a node_exporter
# (10.0.0.8:9100, textfile collector on OUT/client-metrics); --traffic ROUNDS repeats both clients (plus HELLOs
# to p4 and p5, malformed datagrams and an unknown GET) and --check-dashboards then runs every dashboard query
# (Scripts/dashboard_check.py, answers in OUT/dashboard-results.json) against it: each must return data, and data
# other than 0 except write errors, dropped trace events, the trace queue and the hardening counters (peers then
# rotate trace segments every 5 s so that rotations show). Without --loss it adds 10% loss on the h4-h5 link, so
# that the loss panels have a link to show.
# --capture keeps every datagram between the hosts in OUT/capture.pcap: tcpdump on br0 in <tag>-sw (UDP ports
# 5000-5999), started before the peers and stopped after them, and with a p2ptrace that has `import` replays it
# into OUT/capture-replay.{txt,json}; `tshark -r OUT/capture.pcap -X lua_script:Scripts/wireshark/p2pchunks.lua`.
# Namespaces, bridge, rules and processes are removed on exit, also on failure or Ctrl-C; results stay in OUT.
set -euo pipefail

SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$SCRIPTS")
PY=/usr/bin/python3
BIN_DIR=${BIN_DIR:-$ROOT/.build/release}
COURSE=${COURSE_DIR:-$ROOT/../shared/fixtures/course}
OUT=""
LOSS=""
LOSS_HOST=h6
LOSS_LINK=""
LOSS_METHOD=auto
HELLO_RETRIES=""
RETRIES=""
CLIENT_TIMEOUT=""
PROMETHEUS=0
TRAFFIC=0
CHECK_DASHBOARDS=0
HOLD=0
REPEAT=1
SEGMENT_SECONDS=""
CAPTURE=0

usage() { sed -n '2,40p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
die() { echo "course_netns: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case "$1" in
        --bin-dir) BIN_DIR=$2; shift 2 ;;
        --course) COURSE=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --loss) LOSS=$2; shift 2 ;;
        --loss-host) LOSS_HOST=$2; shift 2 ;;
        --loss-link) LOSS_LINK=$2; shift 2 ;;
        --loss-method) LOSS_METHOD=$2; shift 2 ;;
        --hello-retries) HELLO_RETRIES=$2; shift 2 ;;
        --retries) RETRIES=$2; shift 2 ;;
        --client-timeout) CLIENT_TIMEOUT=$2; shift 2 ;;
        --repeat) REPEAT=$2; shift 2 ;;
        --trace-segment-seconds) SEGMENT_SECONDS=$2; shift 2 ;;
        --prometheus) PROMETHEUS=1; shift ;;
        --traffic) TRAFFIC=$2; shift 2 ;;
        --check-dashboards) CHECK_DASHBOARDS=1; PROMETHEUS=1; shift ;;
        --hold) HOLD=$2; shift 2 ;;
        --capture) CAPTURE=1; shift ;;
        -h|--help) usage 0 ;;
        *) echo "course_netns: unknown argument '$1'" >&2; usage 2 ;;
    esac
done

[ "$(id -u)" = 0 ] || die "must run as root (it creates network namespaces)"
for tool in ip "$PY" timeout ss; do command -v "$tool" >/dev/null || die "'$tool' is missing (apt install iproute2 python3 coreutils)"; done
for exe in peer client p2ptrace; do [ -x "$BIN_DIR/$exe" ] || die "$BIN_DIR/$exe not found: run 'swift build -c release' or pass --bin-dir"; done
[ -d "$COURSE/Chunks" ] && [ -d "$COURSE/Key-values-files" ] || die "course data not found in '$COURSE' (--course DIR)"
case "$LOSS_HOST" in h[1-7]) ;; *) die "--loss-host must be one of h1..h7" ;; esac
case "$LOSS_LINK" in ""|h[1-7],h[1-7]) ;; *) die "--loss-link must be two hosts such as h4,h5" ;; esac
if [ "$CHECK_DASHBOARDS" = 1 ] && [ -z "$LOSS" ]; then
    LOSS=10%
    LOSS_LINK=${LOSS_LINK:-h4,h5}
fi
if [ -n "$LOSS" ]; then
    HELLO_RETRIES=${HELLO_RETRIES:-3}
    RETRIES=${RETRIES:-5}
fi
if [ "$CHECK_DASHBOARDS" = 1 ]; then
    [ "$TRAFFIC" != 0 ] || TRAFFIC=12
    SEGMENT_SECONDS=${SEGMENT_SECONDS:-5}
fi
if [ "$PROMETHEUS" = 1 ]; then command -v prometheus >/dev/null || die "prometheus is missing (apt install prometheus)"; fi

OUT=${OUT:-$ROOT/runs/netns-$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
COURSE=$(cd "$COURSE" && pwd)
BIN_DIR=$(cd "$BIN_DIR" && pwd)

TAG="p2p$$"
exec 3>&2
NAMESPACES=()
HOSTS=()
PIDS=()

# shellcheck source=Scripts/capture.bash
source "$SCRIPTS/capture.bash"

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    local pid ns
    capture_stop
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    for ns in "${NAMESPACES[@]}"; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
        ip netns del "$ns" 2>/dev/null || true
    done
    [ "$status" = 0 ] || echo "course_netns: failed (status $status); results in $OUT" >&3
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

in_ns() { local host=$1; shift; ip netns exec "$TAG-$host" "$@"; }

add_host() {
    local host=$1 n=$2
    ip netns add "$TAG-$host"
    NAMESPACES+=("$TAG-$host")
    HOSTS+=("$host")
    in_ns "$host" ip link set lo up
    ip link add "$host" netns "$TAG-sw" type veth peer name eth0 netns "$TAG-$host"
    ip -n "$TAG-sw" link set "$host" master br0 up
    ip -n "$TAG-$host" addr add "10.0.0.$n/24" dev eth0
    ip -n "$TAG-$host" link set eth0 up
}

add_loss() {
    local host=$1 pct=${LOSS%\%}
    local method=$LOSS_METHOD
    if [ "$method" = auto ]; then
        if in_ns "$host" tc qdisc add dev eth0 root netem loss "$pct%" 2>/dev/null; then
            in_ns "$host" tc qdisc del dev eth0 root
            method=netem
        else
            method=iptables
        fi
    fi
    case "$method" in
        netem)
            in_ns "$host" tc qdisc add dev eth0 root netem loss "$pct%"
            ip netns exec "$TAG-sw" tc qdisc add dev "$host" root netem loss "$pct%" ;;
        iptables)
            # Dropped where the datagram arrives (INPUT), never where it leaves: a DROP in OUTPUT makes the
            # sender's sendmsg fail with EPERM, which a real lossy link never does.
            local p other n=${host#h}
            p=$(awk -v x="$pct" 'BEGIN { printf "%.4f", x / 100 }')
            [ "$host" != mon ] || n=8
            in_ns "$host" iptables -A INPUT -i eth0 -p udp
            in_ns "$host" iptables -A INPUT -i eth0 -p udp -m statistic --mode random --probability "$p" -j DROP
            for other in "${HOSTS[@]}"; do
                [ "$other" != "$host" ] || continue
                in_ns "$other" iptables -A INPUT -i eth0 -s "10.0.0.$n" -p udp
                in_ns "$other" iptables -A INPUT -i eth0 -s "10.0.0.$n" -p udp -m statistic --mode random \
                    --probability "$p" -j DROP
            done ;;
        *) die "--loss-method must be auto, netem or iptables" ;;
    esac
    echo "loss: $pct% both ways on $host's link ($method)" | tee -a "$OUT/summary.txt"
}

# Loses $LOSS of the UDP datagrams between two hosts (e.g. h4,h5), both ways, where they arrive.
add_link_loss() {
    local a=${LOSS_LINK%,*} b=${LOSS_LINK#*,} pct=${LOSS%\%} p
    p=$(awk -v x="$pct" 'BEGIN { printf "%.4f", x / 100 }')
    in_ns "$a" iptables -A INPUT -i eth0 -s "10.0.0.${b#h}" -p udp
    in_ns "$a" iptables -A INPUT -i eth0 -s "10.0.0.${b#h}" -p udp -m statistic --mode random --probability "$p" -j DROP
    in_ns "$b" iptables -A INPUT -i eth0 -s "10.0.0.${a#h}" -p udp
    in_ns "$b" iptables -A INPUT -i eth0 -s "10.0.0.${a#h}" -p udp -m statistic --mode random --probability "$p" -j DROP
    echo "loss: $pct% both ways on the $a-$b link (iptables)" | tee -a "$OUT/summary.txt"
}

# The run's marker for the dashboards' annotation, in the clients' textfile folder: 1 while it runs, 0 after.
mark_experiment() {
    local file="$OUT/client-metrics/experiment.prom"
    printf '%s\n' "# HELP p2p_experiment_running 1 while an experiment runner's run is going on, 0 once it stopped." \
        "# TYPE p2p_experiment_running gauge" "p2p_experiment_running{experiment=\"course-netns\"} $1" >"$file.tmp"
    mv "$file.tmp" "$file"
}

wait_listening() {
    local host=$1 proto=$2 port=$3 pid=$4 what=$5
    for _ in $(seq 150); do
        if [ -n "$(in_ns "$host" ss -Hln"$proto" "sport = :$port" 2>/dev/null)" ]; then return 0; fi
        kill -0 "$pid" 2>/dev/null || { tail -n 20 "$OUT/logs/$what.log" >&2; die "$what exited before listening on port $port"; }
        sleep 0.1
    done
    tail -n 20 "$OUT/logs/$what.log" >&2
    die "$what is not listening on port $port after 15 s"
}

client_options() {
    local opts=()
    [ -z "$HELLO_RETRIES" ] || opts+=(--hello-retries "$HELLO_RETRIES")
    [ -z "$RETRIES" ] || opts+=(--retries "$RETRIES")
    [ -z "$CLIENT_TIMEOUT" ] || opts+=(--timeout "$CLIENT_TIMEOUT")
    echo "${opts[@]}"
}

# Runs in the background and waits, so that SIGTERM/Ctrl-C interrupt the wait and clean up at once.
run_client() {
    local host=$1 contact=$2 chunks=$3 folder=$4; shift 4
    mkdir -p "$folder"
    # shellcheck disable=SC2046
    local metrics="$OUT/client-metrics/$(basename "$(dirname "$folder")")-$(basename "$folder").prom"
    (cd "$folder" && exec timeout 120 ip netns exec "$TAG-$host" "$BIN_DIR/client" "$contact" "$chunks" \
        --output-dir "$folder" --metrics-file "$metrics" $(client_options) "$@") &
    local pid=$! code=0
    PIDS+=("$pid")
    wait "$pid" || code=$?
    forget_pid "$pid"
    return "$code"
}

forget_pid() {
    local kept=() pid
    for pid in "${PIDS[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
    PIDS=("${kept[@]}")
}

: >"$OUT/summary.txt"
"$PY" "$SCRIPTS/course.py" prepare "$OUT" --course "$COURSE"

ip netns add "$TAG-sw"
NAMESPACES+=("$TAG-sw")
ip -n "$TAG-sw" link add br0 type bridge
ip -n "$TAG-sw" link set br0 up
for n in 1 2 3 4 5 6 7; do add_host "h$n" "$n"; done
[ "$PROMETHEUS" = 0 ] || add_host mon 8
if [ -n "$LOSS_LINK" ]; then add_link_loss; elif [ -n "$LOSS" ]; then add_loss "$LOSS_HOST"; fi
if [ "$CAPTURE" = 1 ]; then
    capture_start "$OUT/capture.pcap" br0 "udp and portrange 5000-5999" ip netns exec "$TAG-sw" || die "no capture"
fi
LOSS_METHOD_USED=$(sed -n 's/^loss: .*(\(.*\))$/\1/p' "$OUT/summary.txt")

for n in 1 2 3 4 5; do
    mapfile -t args < <("$PY" "$SCRIPTS/course.py" peer-args "$n" "$OUT")
    [ -z "$SEGMENT_SECONDS" ] || args+=(--trace-segment-seconds "$SEGMENT_SECONDS")
    ip netns exec "$TAG-h$n" "$BIN_DIR/peer" "${args[@]}" >"$OUT/logs/p$n.log" 2>&1 &
    PIDS+=($!)
    PEER_PID[n]=$!
done
for n in 1 2 3 4 5; do wait_listening "h$n" u "$((5000 + n))" "${PEER_PID[n]}" "p$n"; done
echo "peers: 10.0.0.1-5:5001-5005 up" | tee -a "$OUT/summary.txt"
for n in 1 2 3 4 5; do
    if [ "$PROMETHEUS" = 1 ]; then
        wait_listening "h$n" t "$((9100 + n))" "${PEER_PID[n]}" "p$n"
    elif ! (for _ in $(seq 30); do [ -z "$(in_ns "h$n" ss -Hlnt "sport = :$((9100 + n))")" ] || exit 0; sleep 0.1; done; exit 1); then
        echo "warning: p$n serves no /metrics on 10.0.0.$n:$((9100 + n))" | tee -a "$OUT/summary.txt"
    fi
done

if [ "$PROMETHEUS" = 1 ]; then scrape=1s; else scrape=5s; fi
"$PY" "$SCRIPTS/course.py" prometheus-config --scrape-interval "$scrape" >"$OUT/prometheus.yml"
if [ "$PROMETHEUS" = 1 ]; then
    ip netns exec "$TAG-mon" prometheus --config.file="$OUT/prometheus.yml" --storage.tsdb.path="$OUT/prometheus-data" \
        --web.listen-address=127.0.0.1:9090 >"$OUT/logs/prometheus.log" 2>&1 &
    PIDS+=($!)
    wait_listening mon t 9090 "$!" prometheus
    command -v prometheus-node-exporter >/dev/null \
        || die "prometheus-node-exporter is missing (apt install prometheus-node-exporter)"
    mapfile -t exporter_args < <("$PY" "$SCRIPTS/course.py" node-exporter-args "$OUT")
    ip netns exec "$TAG-mon" prometheus-node-exporter "${exporter_args[@]}" >"$OUT/logs/node-exporter.log" 2>&1 &
    PIDS+=($!)
    wait_listening mon t 9100 "$!" node-exporter
    echo "prometheus: in $TAG-mon at 127.0.0.1:9090 (ip netns exec $TAG-mon curl ...); node_exporter at 10.0.0.8:9100" \
        | tee -a "$OUT/summary.txt"
fi
mark_experiment 1

status=0
run_client h6 10.0.0.4:5004 1,3,4,5,9 "$OUT/clients/h6" --trace-dir "$OUT/traces/h6" >"$OUT/logs/client-h6.log" 2>&1 \
    || { echo "client in h6 exited with status $?" | tee -a "$OUT/summary.txt"; status=1; }
run_client h7 10.0.0.1:5001 5,6,7 "$OUT/clients/h7" --trace-dir "$OUT/traces/h7" >"$OUT/logs/client-h7.log" 2>&1 \
    || { echo "client in h7 exited with status $?" | tee -a "$OUT/summary.txt"; status=1; }

for round in $(seq 2 "$REPEAT"); do
    run_client h6 10.0.0.4:5004 1,3,4,5,9 "$OUT/clients/h6-$round" >>"$OUT/logs/client-h6.log" 2>&1 \
        || { echo "client in h6 (round $round) exited with status $?" | tee -a "$OUT/summary.txt"; status=1; }
done

for round in $(seq "$TRAFFIC"); do
    run_client h6 10.0.0.4:5004 1,3,4,5,9 "$OUT/traffic/h6-$round" --timeout 1 >>"$OUT/logs/traffic.log" 2>&1 || true
    run_client h7 10.0.0.1:5001 5,6,7 "$OUT/traffic/h7-$round" --timeout 1 >>"$OUT/logs/traffic.log" 2>&1 || true
    for n in 1 2 3 4 5; do
        # unknown message type, a truncated QUERY, and a GET for chunk 4 that no peer holds
        in_ns h7 bash -c "printf '\xff\xff\x00\x01' >/dev/udp/10.0.0.$n/$((5000 + n)); printf '\x00\x02\x0a' >/dev/udp/10.0.0.$n/$((5000 + n)); printf '\x00\x04\x00\x01\x00\x04' >/dev/udp/10.0.0.$n/$((5000 + n))" || true
    done
    # HELLOs to p4 and p5 for chunks nobody holds, each with its own chunk id (a flood of its own): they cross the
    # p4-p5 link, so that a lossy link shows in the loss panels.
    for i in 0 1 2 3; do
        for n in 4 5; do
            id=$((1000 + round * 16 + i * 2 + n))
            hello=$(printf '\\x00\\x01\\x00\\x01\\x%02x\\x%02x' $((id >> 8)) $((id & 255)))
            in_ns h7 bash -c "printf '$hello' >/dev/udp/10.0.0.$n/$((5000 + n))" || true
        done
    done
done
[ "$TRAFFIC" = 0 ] || echo "traffic: $TRAFFIC rounds of both clients and bad datagrams" | tee -a "$OUT/summary.txt"

if [ -n "$LOSS_LINK" ]; then
    for h in "${LOSS_LINK%,*}" "${LOSS_LINK#*,}"; do
        in_ns "$h" iptables -nvxL INPUT | awk '$3 == "DROP" { dropped += $1; next } $1 ~ /^[0-9]+$/ { seen += $1 }
            END { print dropped + 0, seen + 0 }'
    done | awk -v l="${LOSS_LINK/,/-}" '{ d += $1; n += $2 }
        END { printf "loss: dropped %d of %d UDP datagrams on the %s link\n", d, n, l }' | tee -a "$OUT/summary.txt"
elif [ "$LOSS_METHOD_USED" = iptables ]; then
    for h in "${HOSTS[@]}"; do
        direction=from; [ "$h" = "$LOSS_HOST" ] && direction=to
        in_ns "$h" iptables -nvxL INPUT | awk -v d="$direction" '$3 == "DROP" { dropped += $1; next }
            $1 ~ /^[0-9]+$/ { seen += $1 } END { print d, dropped + 0, seen + 0 }'
    done | awk -v h="$LOSS_HOST" '{ d[$1] += $2; n[$1] += $3 }
        END { printf "loss: dropped %d of %d UDP datagrams to %s, %d of %d from %s\n", d["to"], n["to"], h, d["from"], n["from"], h }' \
        | tee -a "$OUT/summary.txt"
elif [ "$LOSS_METHOD_USED" = netem ]; then
    in_ns "$LOSS_HOST" tc -s qdisc show dev eth0 | tee -a "$OUT/summary.txt"
fi

if [ "$CHECK_DASHBOARDS" = 1 ]; then
    sleep 3
    ip netns exec "$TAG-mon" "$PY" "$SCRIPTS/dashboard_check.py" --prometheus http://127.0.0.1:9090 --targets 6 \
        --rate-interval 1m --require-nonzero --results "$OUT/dashboard-results.json" \
        --allow-zero 'write_errors|events_dropped|queue_bytes|ttl_clamped|rate_limited' \
        "$ROOT"/Dashboards/*.json | tee "$OUT/dashboard-check.txt" \
        || { echo "dashboard check failed" | tee -a "$OUT/summary.txt"; status=1; }
fi
mark_experiment 0
if [ "$HOLD" != 0 ]; then
    echo "holding for $HOLD s: namespaces $TAG-*" >&2
    sleep "$HOLD" &
    wait $! || true
fi

for n in 1 2 3 4 5; do kill -TERM "${PEER_PID[n]}" 2>/dev/null || true; done
for n in 1 2 3 4 5; do
    for _ in $(seq 100); do kill -0 "${PEER_PID[n]}" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "${PEER_PID[n]}" 2>/dev/null; then
        echo "peer p$n did not stop within 10 s of SIGTERM" | tee -a "$OUT/summary.txt"; status=1
    fi
done

if [ "$CAPTURE" = 1 ]; then
    capture_stop
    echo "capture: $CAPTURE_SUMMARY" | tee -a "$OUT/summary.txt"
fi

for format in text json dot html; do
    ext=$format; [ "$format" = text ] && ext=txt
    "$BIN_DIR/p2ptrace" replay "$OUT/traces" --format "$format" --output "$OUT/replay.$ext" 2>>"$OUT/logs/replay.log" \
        || { echo "p2ptrace replay --format $format failed (see logs/replay.log)" | tee -a "$OUT/summary.txt"; status=1; }
done

"$BIN_DIR/p2ptrace" stats "$OUT/traces" >"$OUT/trace-stats.txt" 2>&1 || true
"$BIN_DIR/p2ptrace" check "$OUT/traces" >"$OUT/trace-check.txt" 2>&1 \
    || { echo "p2ptrace check found damaged or missing traces (trace-check.txt)" | tee -a "$OUT/summary.txt"; status=1; }

if [ "$CAPTURE" = 1 ]; then
    capture_replay "$BIN_DIR/p2ptrace" "$OUT" || status=1
    echo "capture: $CAPTURE_REPLAY" | tee -a "$OUT/summary.txt"
fi

check_args=(--replay)
[ -z "$LOSS" ] || check_args=(--lossy)
check_args+=(--repeat "$REPEAT")
"$PY" "$SCRIPTS/course.py" check "$OUT" --course "$COURSE" "${check_args[@]}" | tee "$OUT/check.txt" || status=1
echo "results: $OUT" | tee -a "$OUT/summary.txt"
exit "$status"
