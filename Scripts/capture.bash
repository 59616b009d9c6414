# --capture for the shell scenario scripts (sourced by run-course.sh and course_netns.sh): tcpdump into a pcap in
# the run folder, started before the peers and stopped cleanly (SIGINT: it writes its last packets) at the end.
# Scripts/packet_capture.py does the same for the Python runners.
#
#   capture_start PCAP INTERFACE FILTER [PREFIX...]   # PREFIX runs tcpdump inside something: ip netns exec NS
#   capture_stop                                      # sets CAPTURE_SUMMARY="PCAP (N packets)"; safe twice

CAPTURE_PID=""
CAPTURE_PCAP=""
CAPTURE_SUMMARY=""

capture_start() {
    local pcap=$1 interface=$2 filter=$3
    shift 3
    command -v tcpdump >/dev/null || { echo "--capture needs tcpdump (apt install tcpdump)" >&2; return 1; }
    CAPTURE_PCAP=$pcap
    # -Z root: Debian's tcpdump otherwise opens the output file as user tcpdump, which may not write there.
    "$@" tcpdump -i "$interface" -w "$pcap" -U --immediate-mode -n -Z root "$filter" >"${pcap%.pcap}.tcpdump.log" 2>&1 &
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
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    local packets
    packets=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured.*/\1/p' "${CAPTURE_PCAP%.pcap}.tcpdump.log")
    CAPTURE_SUMMARY="$CAPTURE_PCAP (${packets:-?} packets)"
}
