import ArgumentParser
import BuildInfo
import ChunkNode
import ChunkNodeNIO
import ChunkTrace
import DiagnosticLog
import Foundation
import Logging
import NIOPosix
import NodeCLI
import NodeObservers
import Plurals
import ServiceLifecycle
import UnixSignals

@main
struct PeerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peer",
        abstract: "Serve chunks and flood chunk queries over UDP (the course chunk-sharing protocol).",
        discussion: """
            Example: peer 10.0.0.3:5003 key-values-files_peer3 10.0.0.1:5001 10.0.0.5:5005
            The peer listens on <address>, serves the chunks its key-values file names, and floods queries to its
            neighbours. SIGINT or SIGTERM stops it cleanly.
            """,
        version: BuildInfo.versionText)

    @Argument(help: "The ip:port to listen on, e.g. 10.0.0.3:5003.")
    var address: String

    @Argument(help: "The key-values file: one '<id>: <file name>' per line, names relative to the file's folder.")
    var keyValuesFile: String

    @Argument(help: "The neighbours' ip:port addresses.")
    var neighbors: [String] = []

    @Option(help: "The ttl of the queries this peer floods for a client's HELLO (at least 1; the course's is 3).")
    var queryTTL: UInt16 = PeerNode.initialTTL

    @Option(help: "The folder the key-values file's chunk file names are looked up in (default: the file's folder).")
    var chunksDir: String?

    @Option(
        parsing: .unconditional, help: "Handle a QUERY whose ttl is above this as if it carried this ttl (at least 1).")
    var maxTTL: UInt16 = PeerNode.initialTTL

    @Option(
        parsing: .unconditional,
        help: """
            Answers (RESPONSE and CHUNK_INFO datagrams) per second to one IPv4 address, bursts up to twice that; \
            0 switches the limit off (load tests).
            """)
    var responseRateLimit: Int = ResponseBudget.defaultRate

    @OptionGroup(title: "Traces") var trace: TraceOptions
    @OptionGroup(title: "Metrics") var metrics: MetricsOptions
    @OptionGroup(title: "Diagnostics") var log: LogOptions

    func validate() throws {
        guard maxTTL >= 1 else { throw ValidationError("--max-ttl must be at least 1, got \(maxTTL).") }
        guard (0...ResponseBudget.maximumRate).contains(responseRateLimit) else {
            throw ValidationError(
                "--response-rate-limit must be from 0 (off) to \(ResponseBudget.maximumRate), got \(responseRateLimit)."
            )
        }
        for text in [address] + neighbors {
            do { _ = try NodeAddress(parsing: text) } catch { throw ValidationError(error.description) }
        }
        if queryTTL < 1 { throw ValidationError("--query-ttl must be at least 1 (1 reaches the neighbours only)") }
        var isFolder: ObjCBool = false
        if let chunksDir,
            !FileManager.default.fileExists(atPath: chunksDir, isDirectory: &isFolder) || !isFolder.boolValue
        {
            throw ValidationError("--chunks-dir \(chunksDir) is not a folder")
        }
    }

    func run() async throws {
        log.bootstrap()
        let logger = Logger.diagnostics
        let address = try NodeAddress(parsing: self.address)
        var neighbors = [NodeAddress]()
        for text in self.neighbors {
            let neighbor = try NodeAddress(parsing: text)
            if neighbor == address || neighbors.contains(neighbor) {
                let why = neighbor == address ? "it is this peer" : "listed twice"
                logger.warning("ignoring neighbour \(neighbor): \(why)")
                continue
            }
            neighbors.append(neighbor)
        }
        let keyValues = try KeyValuesFile(contentsOf: keyValuesFile, chunksDirectory: chunksDir)
        let (store, warnings) = ChunkStore.load(keyValues)
        for warning in warnings { logger.warning("\(warning)") }

        // Serves /metrics only: the UDP socket is read on a thread of its own (PeerServer).
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let tracer = try trace.makeTracer(identity: TraceIdentity(node: address, role: .peer, run: RunID.make()))
        let metricsHandle = try await metrics.start(
            role: .peer, node: address, neighbors: neighbors, chunksHeld: store.count,
            traceStatistics: tracer?.statistics, group: group)
        let observers = [tracer?.observer, metricsHandle?.observer].compactMap { $0 }
        let server = try await PeerServer.start(
            node: PeerNode(
                address: address, neighbors: neighbors, store: store, queryTTL: queryTTL, maxTTL: maxTTL),
            observers: observers, software: softwareVersion, responseRateLimit: responseRateLimit,
            logger: logger)
        let serving =
            "peer \(server.localAddress): serving \(counted(store.count, "chunk")) to "
            + counted(neighbors.count, "neighbour")
        // Announced from inside the group, once SIGTERM and SIGINT are trapped: scripts wait for this line (written
        // unbuffered) and may stop the peer right after it.
        let announce = ClosureService { FileHandle.standardOutput.write(Data("\(serving)\n".utf8)) }
        try await ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: server), .init(service: announce, successTerminationBehavior: .ignore)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        ).run()
        await metricsHandle?.shutdown()
        try await group.shutdownGracefully()
    }
}
