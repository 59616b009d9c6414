"""The course scenario's command line, shared by its three front ends (run-course.sh, course_netns.sh,
course_mininet.py through `course.py run`): options, their defaults and the checks made before anything starts."""

import datetime
import os
import re

import topology

SCRIPTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(SCRIPTS)
HOST = re.compile(r"^h[1-7]$")


def add_options(parser, where=None):
    """The scenario's options on `parser`; `where` fixes the place (else --where chooses it)."""
    if where:
        parser.set_defaults(where=where)
    else:
        parser.add_argument("--where", choices=["loopback", "netns", "mininet"], default="loopback")
    parser.add_argument("--name", help="the program named in messages (default course-<where>)")
    parser.add_argument("--bin-dir", default=os.environ.get("BIN_DIR", os.path.join(ROOT, ".build", "release")),
                        help="folder with peer, client and p2ptrace (default $BIN_DIR or .build/release)")
    parser.add_argument("--course", default=os.environ.get("COURSE_DIR",
                                                           os.path.join(ROOT, "..", "shared", "fixtures", "course")),
                        help="the course data: Chunks/ and Key-values-files/ (default $COURSE_DIR)")
    parser.add_argument("--out", help="run folder (default runs/<where>-<UTC time>)")
    parser.add_argument("--loss", default="", help="datagram loss, e.g. 10%% (netns, mininet)")
    parser.add_argument("--loss-host", default="h6", help="the host whose link loses (h1..h7, default h6)")
    parser.add_argument("--loss-link", default="", help="lose datagrams between two hosts only, e.g. h4,h5")
    parser.add_argument("--loss-method", choices=["auto", "netem", "iptables"], default="auto")
    parser.add_argument("--hello-retries", type=int, help="client --hello-retries (3 with --loss)")
    parser.add_argument("--retries", type=int, help="client --retries (5 with --loss)")
    parser.add_argument("--client-timeout", type=float, help="client --timeout in seconds")
    parser.add_argument("--repeat", type=int, default=1, help="h6's example client runs this many times")
    parser.add_argument("--trace-segment-seconds", type=float, help="peer --trace-segment-seconds")
    parser.add_argument("--prometheus", action="store_true",
                        help="a real Prometheus and node_exporter on the monitor host h8 (10.0.0.8)")
    parser.add_argument("--traffic", type=int, default=0, metavar="ROUNDS",
                        help="repeat both clients and send bad datagrams ROUNDS times")
    parser.add_argument("--check-dashboards", action="store_true",
                        help="run every dashboard query against Prometheus (implies --prometheus, --traffic 12)")
    parser.add_argument("--hold", type=float, default=0, metavar="SECONDS", help="keep the network up this long")
    parser.add_argument("--cli", action="store_true", help="Mininet's CLI before teardown (mininet)")
    parser.add_argument("--capture", action="store_true",
                        help="tcpdump every datagram between the nodes into OUT/capture.pcap (root, tcpdump)")


def settle(args, parser):
    """Fills the defaults that depend on other options and refuses what cannot run (parser.error: status 2)."""
    args.name = args.name or f"course-{args.where}"
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M%S")
    args.out = os.path.abspath(args.out or os.path.join(ROOT, "runs", f"{args.where}-{stamp}"))
    args.bin_dir, args.course = os.path.abspath(args.bin_dir), os.path.abspath(args.course)
    if not HOST.match(args.loss_host):
        parser.error("--loss-host must be one of h1..h7")
    if args.loss_link and not all(HOST.match(h) for h in args.loss_link.split(",")) or args.loss_link.count(",") > 1:
        parser.error("--loss-link must be two hosts such as h4,h5")
    if args.repeat < 1 or args.traffic < 0:
        parser.error("--repeat must be at least 1 and --traffic at least 0")
    if args.check_dashboards:
        args.prometheus = True
        args.traffic = args.traffic or 12
        args.trace_segment_seconds = args.trace_segment_seconds or 5
        if args.where == "netns" and not args.loss:  # so that the loss panels have a link to show
            args.loss, args.loss_link = "10%", args.loss_link or "h4,h5"
    try:
        args.loss_fraction = topology.parse_percent(args.loss) if args.loss else 0.0
    except ValueError as error:
        parser.error(f"--loss: {error}")
    if args.loss:
        args.hello_retries = 3 if args.hello_retries is None else args.hello_retries
        args.retries = 5 if args.retries is None else args.retries
    if args.where == "loopback" and (args.loss or args.prometheus or args.cli):
        parser.error("--loss, --prometheus, --check-dashboards and --cli need namespaces: use course_netns.sh or "
                     "course_mininet.py (loopback is shared by the whole machine)")
    return args


def missing_inputs(args):
    """What is missing before a run can start (root, binaries, course data), or None."""
    if args.where != "loopback" and os.geteuid() != 0:
        return "must run as root (it creates network namespaces)"
    for product in ("peer", "client", "p2ptrace"):
        if not os.access(os.path.join(args.bin_dir, product), os.X_OK):
            return f"{args.bin_dir}/{product} not found: run 'swift build -c release' or pass --bin-dir"
    if not all(os.path.isdir(os.path.join(args.course, sub)) for sub in ("Chunks", "Key-values-files")):
        return f"no course data in {args.course} (expected Chunks/ and Key-values-files/; pass --course)"
    return None
