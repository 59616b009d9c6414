import ArgumentParser
import BuildInfo
import ChunkTrace
import DiagnosticLog
import FloodReplay
import Logging
import Plurals

/// `p2ptrace`: see how a query flooded the network, from the traces of every node.
@main
struct P2PTrace: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "p2ptrace", abstract: "Replay, merge, count and check the trace files of peers and clients.",
        discussion: "Example: p2ptrace replay traces/ --format html --output flood.html",
        version: BuildInfo.versionText,
        subcommands: [
            Replay.self, Export.self, Cat.self, Stats.self, Check.self, Import.self, Capture.self,
        ],
        defaultSubcommand: Replay.self)

    /// Progress and problems on standard error, one line each: `p2ptrace: <what>`.
    static let log = Logger.standardError(label: "p2ptrace", level: .info)
}

/// The trace files to read, and how to match messages between nodes.
struct TraceInput: ParsableArguments {
    @Argument(help: "Trace segment files (*.jsonl.gz, *.jsonl) or folders holding them.")
    var paths: [String] = []

    @Option(
        parsing: .unconditional,
        help: "How far (ms) a receive may be stamped before its send: clock difference between hosts.")
    var clockSkewMs: Double = 100

    @Option(
        parsing: .unconditional, help: "How long (ms) after its send a receive may come and still be matched to it.")
    var maxLatencyMs: Double = 500

    @Option(
        parsing: .unconditional,
        help: "How long (s) every node may be silent before later traces count as another session (a separate run).")
    var sessionGapS: Double = 10

    @Option(parsing: .unconditional, help: "How many threads read trace files at once.")
    var threads: Int = 2

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give the trace folder (peer/client --trace-dir) or files") }
        guard (0...1e9).contains(clockSkewMs) else {
            throw ValidationError("--clock-skew-ms must be 0 to 1e9 milliseconds, got \(clockSkewMs).")
        }
        guard maxLatencyMs > 0, maxLatencyMs <= 1e9 else {
            throw ValidationError("--max-latency-ms must be above 0, up to 1e9 milliseconds, got \(maxLatencyMs).")
        }
        guard sessionGapS > 0, sessionGapS <= 1e6 else {
            throw ValidationError("--session-gap-s must be above 0, up to 1e6 seconds, got \(sessionGapS).")
        }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be 1 to 64, got \(threads).") }
    }

    func load() throws -> TraceSet {
        let set = try TraceSet.load(
            paths: paths, clockSkew: Int64(clockSkewMs * 1000), maxLatency: Int64(maxLatencyMs * 1000),
            sessionGap: Int64(sessionGapS * 1_000_000), threads: threads)
        for line in set.readProblems { P2PTrace.log.warning("\(line)") }
        return set
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, dot, html
}

extension FloodDotRenderer.Answers: ExpressibleByArgument {}

/// What `stats --format` accepts.
enum StatsFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv
}

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild each flood: query tree, duplicates, expired and lost queries, answers, chunk sources.",
        discussion: "Example: p2ptrace replay traces/ --client 10.0.0.6 --format dot | dot -Tsvg > flood.svg")

    @OptionGroup var input: TraceInput
    @Option(help: "text (default), json, dot (Graphviz) or html (animated, self-contained page).")
    var format: OutputFormat = .text
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?
    @Flag(help: "List the floods, one line each, instead of replaying them.")
    var list = false
    @Option(parsing: .unconditional, help: "Only the flood with this index (see --list).")
    var flood: Int?
    @Option(help: "Only floods of this client (ip:port, or ip for every port).")
    var client: String?
    @Option(help: "Only floods whose contact peer is this (ip:port or ip).")
    var contact: String?
    @Option(help: "The flood in progress at this time: RFC 3339 UTC or a UTC time of day (16:28:12.5).")
    var at: String?
    @Option(help: "DOT: CHUNK_INFO answers as edges, summed up in the client's note (summary), or left out (none).")
    var answers: FloodDotRenderer.Answers = .edges
    @Flag(help: "Keep raw times: do not correct the clocks of nodes found off the others.")
    var noAdjust = false
    @Flag(help: "Keep reading the growing trace set (live nodes); print each flood, as text, once it is complete.")
    var follow = false

    func validate() throws {
        if follow, format != .text || list || output != nil {
            throw ValidationError("--follow prints text to standard output: drop --format, --list and --output")
        }
    }

    func run() throws {
        if follow { followLiveSet() }
        let set = try input.load()
        let report = FloodReplayer(adjustClocks: !noAdjust).replay(set.index)
        var selection = FloodSelection(index: flood, client: client, contact: contact)
        if let at { selection.time = try FloodSelection.parseTime(at, reference: report.floods.first?.start ?? 0) }
        let floods = try selection.apply(to: report.floods)
        let warnings = set.readProblems
        if format == .dot || format == .html, floods.count > 100 {
            P2PTrace.log.warning(
                "\(counted(floods.count, "flood")) in one drawing; pick one with --flood, --client or --at")
        }
        let out = try ReplayOutputStream(path: output)
        if list {
            out.write(FloodTextRenderer.list(floods))
            return try out.finish()
        }
        switch format {
        case .text:
            if floods.isEmpty { out.write("no flood in this trace set (no HELLO received by a traced peer)\n") }
            FloodTextRenderer.render(floods, to: out)
            for warning in report.warnings { out.write("warning: \(warning)\n") }
        case .json:
            FloodJSONRenderer.render(report, floods: floods, warnings: warnings, to: out)
            out.write("\n")
        case .dot: FloodDotRenderer.render(floods, answers: answers, to: out)
        case .html: FloodHTMLRenderer.render(report, floods: floods, warnings: warnings, to: out)
        }
        try out.finish()
    }
}

enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case otlpJSON = "otlp-json"
}

extension Replay {
    /// Re-reads the trace set every second and prints each flood once nothing of it happened for 2 s.
    func followLiveSet() -> Never {
        var follower = FloodFollower()
        let selection = FloodSelection(client: client, contact: contact)
        while true {
            if let set = try? input.load() {
                let report = FloodReplayer(adjustClocks: !noAdjust).replay(set.index)
                let floods = (try? selection.apply(to: report.floods)) ?? []
                for flood in follower.newlyComplete(in: floods, now: ReplayClock.micros()) {
                    ReplayOutput.standardOutput(Array((FloodTextRenderer.render(flood) + "\n").utf8))
                }
            }
            ReplayClock.pause(seconds: 1)
        }
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the floods as OpenTelemetry traces (one trace per flood, one span per visit).",
        discussion: """
            otlp-json is an OTLP ExportTraceServiceRequest in JSON, as Jaeger, Grafana Tempo or an OpenTelemetry \
            Collector take it on POST /v1/traces. Example:
              p2ptrace export traces/ --format otlp-json -o floods.json
              curl -H 'Content-Type: application/json' --data-binary @floods.json http://localhost:4318/v1/traces
            """)

    @OptionGroup var input: TraceInput
    @Option(help: "otlp-json: OTLP/JSON ExportTraceServiceRequest.")
    var format: ExportFormat = .otlpJSON
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    @Flag(help: "Keep raw times: do not correct the clocks of nodes found off the others.")
    var noAdjust = false

    func run() throws {
        let set = try input.load()
        let report = FloodReplayer(adjustClocks: !noAdjust).replay(set.index)
        let out = try ReplayOutputStream(path: output)
        switch format {
        case .otlpJSON: FloodOTLPRenderer.render(report.floods, to: out)
        }
        try out.finish()
    }
}

struct Cat: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print every event of every node as JSON lines, in time order.")

    @Argument(help: "Trace segment files or folders.")
    var paths: [String] = []

    func run() throws {
        guard !paths.isEmpty else { throw ValidationError("give the trace folder or files") }
        var merger = TraceMerger()
        let read = try TraceReader.forEachEvent(in: paths) { merger.add($0) }
        guard !read.files.isEmpty else { throw ReplayError.noTraceFiles(paths: paths) }
        let out = try ReplayOutputStream(path: nil)
        merger.write(to: out)
        try out.finish()
        if !read.isComplete { P2PTrace.log.warning("\(read.summary)") }
    }
}

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count events per node and per message type, or (--floods) list the figures of each flood.",
        discussion: """
            With --floods, one row per flood: peers reached and coverage, query messages, duplicates, expired, \
            lost, CHUNK_INFOs, time to the first and last CHUNK_INFO and to the last chunk (microseconds since the \
            contact peer received the HELLO), chunks found and missing. Example:
              p2ptrace stats traces/ --floods --format csv > floods.csv
            """)

    @OptionGroup var input: TraceInput
    @Option(help: "text (tables, the default), json, or csv (with --floods).")
    var format: StatsFormat = .text
    @Flag(help: "One row per flood (replayed) instead of counts per node and message type.")
    var floods = false
    @Flag(help: "With --floods: keep raw times, do not correct the clocks of nodes found off the others.")
    var noAdjust = false

    func validate() throws {
        if format == .csv, !floods { throw ValidationError("--format csv lists floods: add --floods") }
    }

    func run() throws {
        let set = try input.load()
        guard floods else {
            let statistics = TraceStatistics(set.index)
            return print(format == .json ? statistics.json : statistics.text, terminator: "")
        }
        let report = FloodReplayer(adjustClocks: !noAdjust).replay(set.index)
        let rows = FloodStatistics.rows(report.floods)
        switch format {
        case .text: print(FloodStatisticsRenderer.text(rows), terminator: "")
        case .csv: print(FloodStatisticsRenderer.csv(rows), terminator: "")
        case .json:
            print(FloodStatisticsRenderer.json(rows, warnings: report.warnings + set.readProblems), terminator: "")
        }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Say what is damaged, cut or missing in a trace set; exit status 1 when anything is.")

    @OptionGroup var input: TraceInput

    func run() throws {
        let set = try input.load()
        let check = TraceCheck(
            set.index, truncatedFiles: set.read.truncatedFiles, damagedLines: set.read.damagedLines,
            unreadableFiles: set.read.unreadableFiles, readerWarnings: set.read.warnings)
        print("\(set.read.summary)\n" + check.text, terminator: "")
        if !check.isClean { throw ExitCode(1) }
    }
}
