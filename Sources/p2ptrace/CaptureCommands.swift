import ArgumentParser
import BuildInfo
import CaptureImport
import FloodReplay
import Foundation
import Logging
import Plurals

/// Where captured datagrams go and which ports are this protocol's.
struct CaptureOutput: ParsableArguments {
    @Option(help: "The trace folder to write the segments into (one node per file, as peers write them).")
    var traceDir: String

    @Option(help: "The UDP ports of the peers (a range or one port); the BPF filter keeps only these.")
    var ports: String = "5000-5999"

    @Option(help: "A BPF expression (tcpdump syntax) and-ed with the port filter, e.g. 'net 10.0.0.0/24'.")
    var filter: String?

    func validate() throws {
        guard PortRange(ports) != nil else {
            throw ValidationError("--ports must be a port or a range like 5000-5999, got '\(ports)'")
        }
    }

    var portRange: PortRange { PortRange(ports) ?? PortRange() }

    /// The whole BPF filter: the ports (and later fragments), and `--filter` when given.
    var bpfFilter: String { filter.map { "(\(portRange.bpfFilter)) and (\($0))" } ?? portRange.bpfFilter }

    func importer(source: String) -> CaptureImporter {
        let run = "capture-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return CaptureImporter(directory: traceDir, source: source, tool: "p2ptrace \(BuildInfo.version)", run: run)
    }

    /// Reads one source into `importer`; says what it held, and the error that ended it early, on standard error.
    func read(_ source: PcapSource, into importer: CaptureImporter, stop: () -> Bool = { false }) -> Bool {
        let (statistics, error) = importer.read(source, stopRequested: stop) { P2PTrace.log.warning("\($0)") }
        var line = "\(source.name) (\(source.linkType)): \(statistics.summary)"
        if let drops = source.kernelDrops, drops > 0 { line += "; the kernel dropped \(counted(drops, "packet"))" }
        P2PTrace.log.info("\(line)")
        if let error { P2PTrace.log.error("\(error)") }
        return error == nil
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Turn pcap/pcapng captures into trace segments: a datagram from A to B becomes A's send and B's recv.",
        discussion: """
            Any implementation's traffic can then be replayed. Example:
              tcpdump -i any -w run.pcap udp portrange 5000-5999
              p2ptrace import run.pcap --trace-dir traces/ && p2ptrace replay traces/
            A damaged file keeps every packet before the damage; the exit status is then 1.
            """)

    @Argument(help: "Capture files (pcap or pcapng, as tcpdump -w, tshark -w or dumpcap write them).")
    var captures: [String] = []
    @OptionGroup var output: CaptureOutput

    func validate() throws {
        guard !captures.isEmpty else { throw ValidationError("give the capture files to import") }
    }

    func run() throws {
        let importer = output.importer(source: captures.joined(separator: ", "))
        defer { importer.finish() }
        var failed = false
        for path in captures {
            do {
                let source = try PcapSource.open(file: path)
                try source.setFilter(output.bpfFilter)
                failed = !output.read(source, into: importer) || failed
            } catch {
                P2PTrace.log.error("\(error)")
                failed = true
            }
        }
        P2PTrace.log.info("\(counted(importer.nodeCount, "node")) written to \(output.traceDir)")
        if failed { throw ExitCode(1) }
    }
}

struct Capture: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Capture this protocol live on an interface into trace segments, until SIGINT or SIGTERM.",
        discussion: """
            Needs root or CAP_NET_RAW. Example, the loopback of a local course run:
              p2ptrace capture -i lo --trace-dir traces/ &  ...  kill -INT %1
            """)

    @Option(name: .shortAndLong, help: "The interface (lo, eth0, a Mininet bridge, or any).")
    var interface: String
    @OptionGroup var output: CaptureOutput

    func run() throws {
        CaptureStopSignal.install()
        let source = try PcapSource.open(interface: interface)
        try source.setFilter(output.bpfFilter)
        let importer = output.importer(source: "interface \(interface)")
        P2PTrace.log.info("capturing on \(interface) (ports \(output.portRange)); SIGINT or SIGTERM ends")
        let ok = output.read(source, into: importer) { CaptureStopSignal.isRequested }
        importer.finish()
        source.close()
        P2PTrace.log.info("\(counted(importer.nodeCount, "node")) written to \(output.traceDir)")
        if !ok { throw ExitCode(1) }
    }
}
