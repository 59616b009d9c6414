import ArgumentParser
import ChunkNode
import ChunkTrace
import NIOCore

/// The metrics flags shared by `peer` and `client`.
public struct MetricsOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("metrics"), help: "Serve Prometheus text at http://<ip:port>/metrics; off when not given.")
    public var listen: String?

    @Option(name: .customLong("metrics-file"), help: "On exit, write the final metrics to this file (node_exporter textfile format).")
    public var file: String?

    public init() {}

    /// Starts the node's metrics (and the endpoint when `--metrics` is given), or returns `nil` when both flags are
    /// absent.
    public func start(
        role: String, node: NodeAddress, neighbors: Int, chunksHeld: Int,
        traceStatistics: (@Sendable () -> TraceWriterStatistics)?, group: any EventLoopGroup
    ) async throws -> NodeMetricsHandle? {
        // Replaced by the metrics module (issue 4).
        nil
    }
}

/// A node's running metrics: the observer to register, and what to do at exit.
public struct NodeMetricsHandle: Sendable {
    public var observer: any NodeObserver
    /// Writes `--metrics-file` if given, then closes the endpoint.
    public var shutdown: @Sendable () async -> Void
}
