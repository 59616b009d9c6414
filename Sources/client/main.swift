import ArgumentParser
import BuildInfo
import ChunkNode
import ChunkNodeNIO
import ChunkTrace
import DiagnosticLog
import Logging
import NIOCore
import NIOPosix
import NodeCLI
import NodeObservers
import Plurals
import ServiceLifecycle
import UnixSignals

@main
struct ClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client",
        abstract: "Ask a peer network for chunks and save them (the course chunk-sharing protocol).",
        discussion: """
            Example: client 10.0.0.4:5004 1,3,4,5,9
            Says HELLO to the contact peer, GETs each chunk from the first peer that announces it, saves
            chunk<id>.m4s files and writes output-<ip>.log. Ends when every chunk arrived, or after --timeout
            seconds without a datagram. Exits 0 even when chunks are missing (as the course client), 3 with
            --fail-on-missing, 2 when a chunk file or the log could not be written.
            """,
        version: BuildInfo.versionText)

    @Argument(help: "The contact peer's ip:port.")
    var contact: String

    @Argument(help: "The chunk ids to fetch, separated by commas, e.g. 1,3,4,5,9.")
    var chunks: String

    @Option(help: "Folder for chunk files and the output log (created if missing).")
    var outputDir: String = "."

    @Option(parsing: .unconditional, help: "Seconds without any datagram after which the client gives up.")
    var timeout: Double = 5

    @Option(parsing: .unconditional, help: "Seconds to wait for a RESPONSE before asking again.")
    var retryInterval: Double = 0.25

    @Option(
        parsing: .unconditional,
        help: "How many times a GET is re-sent, to the next peer that announced the chunk when there is one.")
    var retries: Int = 3

    @Option(
        parsing: .unconditional,
        help: "How many times the HELLO is re-sent while some chunk is not announced (0: never, as the course client).")
    var helloRetries: Int = 0

    @Flag(help: "Exit with status 3 when any chunk is missing (the default exits 0, as the course client).")
    var failOnMissing = false

    @OptionGroup(title: "Traces") var trace: TraceOptions
    @OptionGroup(title: "Metrics") var metrics: MetricsOptions
    @OptionGroup(title: "Diagnostics") var log: LogOptions

    func validate() throws {
        do { _ = try NodeAddress(parsing: contact) } catch { throw ValidationError(error.description) }
        do { _ = try ClientConfiguration.parseChunkList(chunks) } catch { throw ValidationError(error.description) }
        for (flag, seconds) in [("--timeout", timeout), ("--retry-interval", retryInterval)] {
            guard seconds > 0, seconds.isFinite else {
                throw ValidationError("\(flag) must be a positive number of seconds, got \(seconds).")
            }
        }
        for (flag, count) in [("--retries", retries), ("--hello-retries", helloRetries)] {
            guard count >= 0 else { throw ValidationError("\(flag) must be 0 or more, got \(count).") }
        }
    }

    func run() async throws {
        log.bootstrap()
        let configuration = ClientConfiguration(
            contact: try NodeAddress(parsing: contact), chunks: try ClientConfiguration.parseChunkList(chunks),
            inactivityTimeout: .nanoseconds(Int64(timeout * 1e9)),
            retryInterval: .nanoseconds(Int64(retryInterval * 1e9)), maxRetries: retries, helloRetries: helloRetries)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let trace = self.trace
        let metrics = self.metrics
        let metricsHandle = Box<NodeMetricsHandle>()
        let session = try await ClientSession.start(
            configuration: configuration, outputDirectory: outputDir, group: group,
            makeObservers: { local in
                let tracer = try trace.makeTracer(
                    identity: TraceIdentity(node: local, role: .client, run: RunID.make()))
                metricsHandle.value = try await metrics.start(
                    role: .client, node: local, neighbors: [], chunksHeld: 0, traceStatistics: tracer?.statistics,
                    group: group)
                return [tracer?.observer, metricsHandle.value?.observer].compactMap { $0 }
            }, software: softwareVersion)
        // The session's end (complete, timed out, or interrupted by SIGTERM/SIGINT) ends the group.
        try await ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: session, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: .diagnostics)
        ).run()
        let outcome = try await session.finish()
        await metricsHandle.value?.shutdown()
        try await group.shutdownGracefully()
        print(
            "client \(outcome.localAddress): received \(outcome.received.count) of "
                + counted(configuration.chunks.count, "chunk")
                + (outcome.missing.isEmpty
                    ? "" : ", missing \(outcome.missing.map(String.init).joined(separator: ","))")
                + "; "
                + "log: \(outcome.logPath)")
        if !outcome.writeErrors.isEmpty { throw ExitCode(2) }
        if failOnMissing, !outcome.missing.isEmpty { throw ExitCode(3) }
    }
}

/// A value set once inside a closure and read after it.
private final class Box<Value: Sendable>: @unchecked Sendable {
    var value: Value?
}
