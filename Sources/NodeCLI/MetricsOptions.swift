import ArgumentParser
import ChunkMetrics
import ChunkNode
import ChunkNodeNIO
import ChunkTrace
import DiagnosticLog
import Logging
import NIOCore
import NodeObservers

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The metrics flags shared by `peer` and `client`.
package struct MetricsOptions: ParsableArguments, Sendable {
    @Option(
        name: .customLong("metrics"),
        help: "Serve Prometheus text at http://<ip:port>/metrics (port 0: any free port); off when not given.")
    package var listen: String?

    @Option(
        name: .customLong("metrics-file"),
        help: "On exit, write the final metrics to this file (node_exporter textfile format, written atomically).")
    package var file: String?

    package init() {}

    package func validate() throws {
        if let listen { _ = try Self.parseListenAddress(listen) }
        if let file {
            let folder = file.lastIndex(of: "/").map { String(file[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
            var status = stat()
            guard stat(folder, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else {
                throw ValidationError("--metrics-file \(file): the folder \(folder) does not exist")
            }
        }
    }

    /// Parses `--metrics`: an IPv4 `ip:port`.
    static func parseListenAddress(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port), NodeAddress.parseIPv4(text[..<colon]) != nil
        else {
            throw ValidationError(
                "--metrics expects an IPv4 address and TCP port such as 10.0.0.1:9101 or 127.0.0.1:0, got '\(text)'")
        }
        return (String(text[..<colon]), port)
    }

    /// Starts the node's metrics (and the endpoint when `--metrics` is given), or returns `nil` when both flags are
    /// absent.
    ///
    /// - Parameters:
    ///   - role: the `role` label of every series.
    ///   - node: this node's address: the `node` label of the `--metrics-file` output.
    ///   - neighbors: the peer's configured neighbours: `p2p_neighbors`, and the `neighbor` labels of the
    ///     per-neighbour families (every other address counts as `other`).
    ///   - chunksHeld: the peer's chunk count (`p2p_chunks_held`).
    ///   - traceStatistics: the trace writer's counters, read at every scrape; `nil` when tracing is off (the
    ///     `p2p_trace_*` series are then present at 0).
    ///   - group: the endpoint runs on one of its loops: `udpLoop` is avoided when given; otherwise the group's last
    ///     loop is used (a fresh `MultiThreadedEventLoopGroup` hands its first loop to the first `next()`, the UDP
    ///     bind).
    ///   - version: the `version` label of `p2p_build_info`.
    ///   - server: limits and timeouts of the endpoint; its host and port are replaced by `--metrics`.
    /// - Throws: `MetricsServerError` when the endpoint cannot listen (e.g. the port is in use).
    package func start(
        role: MetricsRole, node: NodeAddress, neighbors: [NodeAddress], chunksHeld: Int,
        traceStatistics: (@Sendable () -> TraceWriterStatistics)?, group: any EventLoopGroup,
        avoiding udpLoop: (any EventLoop)? = nil, version: String = softwareVersion,
        server serverConfiguration: MetricsServerConfiguration = MetricsServerConfiguration()
    ) async throws -> NodeMetricsHandle? {
        guard listen != nil || file != nil else { return nil }
        var counters: (@Sendable () -> TraceCounters)?
        if let traceStatistics { counters = { Self.traceCounters(traceStatistics()) } }
        let metrics = NodeMetrics(
            role: role, version: version, dropReasons: DropReason.allLabels, node: node.description,
            neighbors: neighbors.map(\.description), traceCounters: counters)
        metrics.setTopology(neighbors: neighbors.count, chunksHeld: chunksHeld)

        var server: MetricsServer?
        if let listen {
            let (host, port) = try Self.parseListenAddress(listen)
            var configuration = serverConfiguration
            configuration.host = host
            configuration.port = port
            server = try await MetricsServer.start(
                configuration: configuration, eventLoop: MetricsServer.eventLoop(in: group, avoiding: udpLoop),
                render: { metrics.render() })
        }
        let file = self.file
        let nodeName = node.description
        return NodeMetricsHandle(
            observer: MetricsObserver(metrics: metrics, neighbors: neighbors), server: server,
            shutdown: { [server] in
                if let file {
                    do {
                        try MetricsTextFile.write(
                            MetricsTextFile.textfileContents(metrics.render(), node: nodeName), to: file)
                    } catch {
                        Logger.diagnostics.warning("\(error)")
                    }
                }
                await server?.close()
            })
    }
}

extension MetricsOptions {
    static func traceCounters(_ statistics: TraceWriterStatistics) -> TraceCounters {
        TraceCounters(
            events: statistics.events, bytesWritten: statistics.bytesWritten, rotations: statistics.rotations,
            writeErrors: statistics.writeErrors, droppedEvents: statistics.droppedEvents,
            queueBytes: statistics.queueBytes)
    }
}

/// A node's running metrics: the observer to register, and what to do at exit.
package struct NodeMetricsHandle: Sendable {
    package var observer: any NodeObserver
    /// The endpoint, when `--metrics` was given (its `port` is the real one when port 0 was asked).
    package var server: MetricsServer?
    /// Writes `--metrics-file` if given, then closes the endpoint.
    package var shutdown: @Sendable () async -> Void
}
