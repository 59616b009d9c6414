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
# What it does: creates namespaces <tag>-sw (a Linux bridge br0), <tag>-p1 ... <tag>-p5 for the peers, <tag>-h6
# and <tag>-h7 for the clients (and <tag>-h8 with --prometheus), host N on 10.0.0.N/16 with a veth into the
# bridge; nothing is added to the root namespace. Peer N runs in pN (host hN) on 10.0.0.N:500N with its course
# neighbours, traces into OUT/traces/hN and serves /metrics on 10.0.0.N:910N. Then it runs
# `client 10.0.0.4:5004 1,3,4,5,9` in h6 and `client 10.0.0.1:5001 5,6,7` in h7 (outputs in OUT/clients/h6 and h7), stops the peers (SIGTERM), runs `p2ptrace replay OUT/traces` into
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
# <tag>-h8 (10.0.0.8) on 127.0.0.1:9090 of that namespace, scraping every second the peers and a node_exporter
# (10.0.0.8:9100, textfile collector on OUT/client-metrics); --traffic ROUNDS repeats both clients (plus HELLOs
# to p4 and p5, malformed datagrams and an unknown GET) and --check-dashboards then runs every dashboard query
# (Scripts/dashboard_check.py, answers in OUT/dashboard-results.json) against it: each must return data, and data
# other than 0 except write errors, dropped trace events, the trace queue and the hardening counters (peers then
# rotate trace segments every 5 s so that rotations show). Without --loss it adds 10% loss on the h4-h5 link, so
# that the loss panels have a link to show.
# --capture keeps every datagram between the hosts in OUT/capture.pcap: tcpdump on br0 in <tag>-sw (UDP ports
# 5001-5005), started before the peers and stopped after them, and with a p2ptrace that has `import` replays it
# into OUT/capture-replay.{txt,json}; `tshark -r OUT/capture.pcap -X lua_script:Scripts/wireshark/p2pchunks.lua`.
# Namespaces, bridge, rules and processes are removed on exit, also on failure or Ctrl-C; results stay in OUT.
# The scenario itself is Scripts/experiments/course_scenario.py (`course.py run --where netns`), shared with
# run-course.sh and course_mininet.py; this script only names it. Exit status 2 on a bad option or missing input.
set -euo pipefail

case "${1:-}" in
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
esac
exec /usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/course.py" run --where netns --name course_netns "$@"
