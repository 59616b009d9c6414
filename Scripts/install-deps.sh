#!/usr/bin/env bash
# Installs, with apt, the Debian packages the build and the tests use that are not installed yet.
#
#   Scripts/install-deps.sh              # everything the tests need
#   Scripts/install-deps.sh --build      # only the C libraries the build links
#   Scripts/install-deps.sh --zlib-only  # only zlib and libpcap, for `swift build --disable-default-traits` (no ISA-L)
#
# As root it installs what is missing; otherwise it prints the apt-get line to run and exits 1 when anything is
# missing.
set -euo pipefail

zlib=(
    zlib1g-dev         # CZlib: reading traces, gzip'd /metrics, the zlib trace writer
)
pcap=(
    libpcap-dev        # CPcap: p2ptrace import (pcap/pcapng files) and p2ptrace capture (live)
)
isal=(
    libisal-dev        # CIgzip (package trait ISAL, on by default): the default trace writer's compressor, igzip
)
tests=(
    jq gzip            # traces are checked with real zcat | jq
    prometheus         # promtool check metrics/config, a real Prometheus server scraping the peers
    prometheus-node-exporter  # its textfile collector serves the clients' --metrics-file folder to Prometheus
    graphviz           # p2ptrace's DOT output is rendered with dot
    chromium           # p2ptrace's HTML page is loaded headless and screenshotted
    mininet            # the course topology in Mininet
    bridge-utils       # Mininet's Linux bridge switch (no Open vSwitch)
    iproute2 iptables  # namespaces, veth, tc/iptables loss
    docker-compose     # docker-compose config -q
    procps psmisc      # ps, pkill, killall for the scenario scripts
    python3            # the scenario scripts and checks (Debian's /usr/bin/python3, where Mininet lives)
    python3-venv       # the venv holding opentelemetry-proto for the OTLP export test
    time               # /usr/bin/time in the benchmarks
    binutils           # readelf: the zlib-only build must not need libisal
    python3-networkx   # Scripts/topology.py: topology generators and graph checks
    python3-matplotlib # Scripts/experiment.py: the run folder's plots
    python3-pytest     # Scripts/tests: the topology and experiment runner tests
    tshark             # Scripts/tests/test_dissector.py: the Wireshark dissector under real tshark
    tcpdump            # --capture of the scenario scripts; the dissector's and p2ptrace import's course captures
    debootstrap        # Scripts/docker/check-runtime-stage.sh: the image's runtime stage in a bootstrapped Debian
)
case ${1:-} in
    --zlib-only) wanted=("${zlib[@]}" "${pcap[@]}") ;;
    --build) wanted=("${zlib[@]}" "${pcap[@]}" "${isal[@]}") ;;
    "") wanted=("${zlib[@]}" "${pcap[@]}" "${isal[@]}" "${tests[@]}") ;;
    *) echo "usage: $0 [--build | --zlib-only]" >&2; exit 2 ;;
esac

missing=()
for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
((${#missing[@]})) || exit 0
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    echo "missing Debian packages: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
echo "installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# wireshark-common would ask whether non-root users may capture: no (root captures; nothing is made setuid).
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
