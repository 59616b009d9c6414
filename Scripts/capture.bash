# --capture for the shell scenario scripts (sourced by run-course.sh and course_netns.sh): tcpdump into a pcap in
# the run folder, started before the peers and stopped cleanly at the end (SIGTERM once it has caught up).
# Scripts/packet_capture.py does the same for the Python runners.
#
#   capture_start PCAP INTERFACE FILTER [PREFIX...]   # PREFIX runs tcpdump inside something: ip netns exec NS
#   capture_stop                                      # sets CAPTURE_SUMMARY="PCAP (N packets)"; safe twice
#   capture_replay P2PTRACE FOLDER                    # p2ptrace import of the pcap into FOLDER/capture-traces,
#                                                     # replayed into FOLDER/capture-replay.{txt,json}; sets
#                                                     # CAPTURE_REPLAY to what it did; status 1 when a step failed

CAPTURE_PID=""
CAPTURE_PCAP=""
CAPTURE_SUMMARY=""

capture_start() {
    local pcap=$1 interface=$2 filter=$3
    shift 3
    command -v tcpdump >/dev/null || { echo "--capture needs tcpdump (apt install tcpdump)" >&2; return 1; }
    CAPTURE_PCAP=$pcap
    # -Z root: Debian's tcpdump otherwise opens the output file as user tcpdump, which may not write there. Python
    # unblocks every signal first: a parent that blocks SIGTERM (the Swift test runner) passes that on through exec.
    local unblocked='import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, [])
os.execvp(sys.argv[1], sys.argv[1:])'
    # -s/-B: room for 500 of the largest datagrams in the kernel's ring (the default loses packets under load).
    /usr/bin/python3 -c "$unblocked" "$@" tcpdump -i "$interface" -w "$pcap" -U --immediate-mode -n -Z root \
        -s 66000 -B 32768 "$filter" >"${pcap%.pcap}.tcpdump.log" 2>&1 &
    CAPTURE_PID=$!
    local _
    for _ in $(seq 200); do
        grep -q "listening on" "${pcap%.pcap}.tcpdump.log" && return 0
        if ! kill -0 "$CAPTURE_PID" 2>/dev/null; then
            echo "tcpdump could not capture on $interface: $(cat "${pcap%.pcap}.tcpdump.log")" >&2
            CAPTURE_PID=""
            return 1
        fi
        sleep 0.05
    done
    echo "tcpdump did not start capturing on $interface within 10 s" >&2
    capture_stop
    return 1
}

capture_stop() {
    [ -n "$CAPTURE_PID" ] || return 0
    local pid=$CAPTURE_PID _
    CAPTURE_PID=""
    capture_catch_up "$pid" "${CAPTURE_PCAP%.pcap}.tcpdump.log"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    local packets dropped
    packets=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured.*/\1/p' "${CAPTURE_PCAP%.pcap}.tcpdump.log")
    dropped=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel.*/\1/p' "${CAPTURE_PCAP%.pcap}.tcpdump.log")
    CAPTURE_SUMMARY="$CAPTURE_PCAP (${packets:-?} packets${dropped:+, $dropped dropped by the kernel})"
    [ "${dropped:-0}" != 0 ] || CAPTURE_SUMMARY="$CAPTURE_PCAP (${packets:-?} packets)"
}

capture_replay() {
    local p2ptrace=$1 folder=$2
    if ! "$p2ptrace" --help 2>/dev/null | grep -qE '^\s+import\b'; then
        CAPTURE_REPLAY="$CAPTURE_PCAP kept; not replayed: this p2ptrace has no \`import\`"
        return 0
    fi
    local log=${CAPTURE_PCAP%.pcap}.replay.log format
    if ! "$p2ptrace" import "$CAPTURE_PCAP" --trace-dir "$folder/capture-traces" >"$log" 2>&1; then
        CAPTURE_REPLAY="p2ptrace import $CAPTURE_PCAP failed (see $log)"
        return 1
    fi
    for format in text json; do
        if ! "$p2ptrace" replay "$folder/capture-traces" --format "$format" \
            --output "$folder/capture-replay.${format/text/txt}" >>"$log" 2>&1; then
            CAPTURE_REPLAY="p2ptrace replay of $folder/capture-traces failed (see $log)"
            return 1
        fi
    done
    CAPTURE_REPLAY="replayed from $CAPTURE_PCAP: $folder/capture-replay.txt and .json"
}

# Waits (at most 10 s) until tcpdump's count of captured packets holds still between two of its reports (SIGUSR1):
# on SIGTERM it leaves unread whatever the kernel still holds for it, on a loaded machine the run's last datagrams.
capture_catch_up() {
    local pid=$1 log=$2 reports=0 last="" now count _
    for _ in $(seq 100); do
        kill -USR1 "$pid" 2>/dev/null || return 0
        sleep 0.1
        now=$(grep -c '^tcpdump: [0-9]* packets\{0,1\} captured' "$log" || true)
        [ "$now" -gt "$reports" ] || continue
        reports=$now
        count=$(sed -n 's/^tcpdump: \([0-9]*\) packets\{0,1\} captured.*/\1/p' "$log" | tail -n 1)
        [ "$count" != "$last" ] || return 0
        last=$count
    done
}
