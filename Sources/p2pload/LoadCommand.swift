import ArgumentParser
import BuildInfo
import ChunkProtocol

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `p2pload`: a bounded UDP load generator for one peer, printing what it sent and got back as one JSON object.
@main
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "p2pload",
        abstract: "Load one peer with GETs (or HELLO/QUERY) over several UDP sockets and count its answers per second.",
        discussion: """
            Example: p2pload 127.0.0.1:5001 --chunk 5 --sockets 4 --window 32 --duration 3
            Each socket keeps at most --window requests outstanding, so the figure is throughput, not loss. Every
            request asks for one chunk the peer must hold, and is answered by exactly one datagram when the peer has
            no neighbours (a RESPONSE for a GET, a CHUNK_INFO for a HELLO or a QUERY naming the socket as client).
            Prints one JSON object: sent, answers, answers_in_window, invalid, lost, stalls, answers_per_second.
            """,
        version: BuildInfo.versionText)

    @Argument(help: "The peer's ip:port.")
    var peer: String

    @Option(help: "Requests to send: get, hello-query or mixed.")
    var mix: String = LoadMix.get.rawValue

    @Option(parsing: .unconditional, help: "The chunk id every request asks for; the peer must hold it.")
    var chunk: UInt16 = 1

    @Option(parsing: .unconditional, help: "UDP sockets, spread over the threads.")
    var sockets: Int = 4

    @Option(parsing: .unconditional, help: "Generator threads.")
    var threads: Int = 1

    @Option(parsing: .unconditional, help: "Requests outstanding per socket at most.")
    var window: Int = 32

    @Option(parsing: .unconditional, help: "Seconds to send for (the measuring window).")
    var duration: Double = 2

    @Option(parsing: .unconditional, help: "Stop after this many requests instead (the duration still bounds the run).")
    var count: Int?

    @Option(
        parsing: .unconditional,
        help: "Milliseconds without an answer after which a socket's outstanding requests count as lost.")
    var stallMs: Int = 50

    @Option(parsing: .unconditional, help: "Milliseconds to wait for the last answers after sending stopped.")
    var drainMs: Int = 300

    func validate() throws {
        do { _ = try NodeAddress(parsing: peer) } catch { throw ValidationError(error.description) }
        guard LoadMix(rawValue: mix) != nil else {
            throw ValidationError("--mix must be one of \(LoadMix.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard sockets >= 1 else { throw ValidationError("--sockets must be at least 1, got \(sockets).") }
        guard threads >= 1, threads <= sockets else {
            throw ValidationError("--threads must be 1 to --sockets (\(sockets)), got \(threads).")
        }
        guard window >= 1 else { throw ValidationError("--window must be at least 1, got \(window).") }
        guard duration > 0, duration <= 600 else {
            throw ValidationError("--duration must be above 0, up to 600 seconds, got \(duration).")
        }
        if let count, count < 1 { throw ValidationError("--count must be at least 1, got \(count).") }
        guard stallMs >= 1 else { throw ValidationError("--stall-ms must be at least 1, got \(stallMs).") }
        guard drainMs >= 0 else { throw ValidationError("--drain-ms must be 0 or more, got \(drainMs).") }
    }

    func run() throws {
        let target = try NodeAddress(parsing: peer)
        let mix = LoadMix(rawValue: self.mix) ?? .get
        var opened = [LoadSocket]()
        defer { for socket in opened { socket.closeSocket() } }
        for _ in 0..<sockets { opened.append(try LoadSocket(peer: target, receiveBuffer: 1 << 20)) }

        let start = LoadWorker.monotonicNanos()
        let sendUntil = start + UInt64(duration * 1e9)
        let total = count ?? Int.max
        var workers = [LoadWorker]()
        for thread in 0..<threads {
            let mine = Array(opened.enumerated().filter { $0.offset % threads == thread }.map(\.element))
            let plan = LoadWorker.Plan(
                chunk: chunk, window: window,
                budget: total == Int.max ? Int.max : total / threads + (thread < total % threads ? 1 : 0),
                sendUntil: sendUntil, drainNanos: UInt64(drainMs) * 1_000_000, stallNanos: UInt64(stallMs) * 1_000_000)
            let requests = try mine.map { socket in try mix.requests(chunk: chunk, client: socket.local) }
            workers.append(LoadWorker(sockets: mine, requests: requests, plan: plan))
        }
        try WorkerThreads.run(workers, startedAt: start)

        let counts = workers.map(\.counts).reduce(LoadCounts(), +)
        let seconds: Double
        let rate: Double
        if count != nil {
            seconds = Double(counts.lastAnswerNanos) / 1e9
            rate = seconds > 0 ? Double(counts.answers) / seconds : 0
        } else {
            seconds = duration
            rate = Double(counts.answersInWindow) / duration
        }
        let fields: [(String, String)] = [
            ("peer", "\"\(target)\""), ("mix", "\"\(mix.rawValue)\""), ("sockets", "\(sockets)"),
            ("threads", "\(threads)"), ("window", "\(window)"), ("seconds", String(format3(seconds))),
            ("sent", "\(counts.sent)"), ("answers", "\(counts.answers)"),
            ("answers_in_window", "\(counts.answersInWindow)"), ("invalid", "\(counts.invalid)"),
            ("lost", "\(max(0, counts.sent - counts.answers - counts.invalid))"), ("stalls", "\(counts.stalls)"),
            ("answers_per_second", String(format3(rate))),
        ]
        print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
    }

    private func format3(_ value: Double) -> String {
        let scaled = (value * 1000).rounded() / 1000
        return "\(scaled)"
    }
}
