import ChunkNode
import DiagnosticLog
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// A running peer: its UDP socket on an event loop, serving until stopped.
///
/// As a `Service` in a `ServiceGroup`, it serves until graceful shutdown (SIGTERM or SIGINT) or cancellation,
/// then stops as `stop(reason:)` does.
package final class PeerServer: Service, Sendable {
    /// The address the socket is bound to (with the real port when asked to bind port 0).
    package let localAddress: NodeAddress
    private let channel: any Channel
    private let recorder: NodeEventRecorder

    private init(localAddress: NodeAddress, channel: any Channel, recorder: NodeEventRecorder) {
        self.localAddress = localAddress
        self.channel = channel
        self.recorder = recorder
    }

    /// Binds `node.address` and starts serving.
    ///
    /// - Parameters:
    ///   - node: the peer logic; its address is bound (port 0 picks a free port, but then neighbours cannot know it).
    ///   - observers: where every event goes (traces, metrics); called on the channel's event loop.
    ///   - software: the version recorded in the `start` event.
    ///   - responseRateLimit: answers (RESPONSE, CHUNK_INFO) per second to one address, `0` for no limit.
    ///   - logger: where socket errors are reported.
    /// - Throws: `NodeIOError` when the address cannot be bound.
    package static func start(
        node: PeerNode, observers: [any NodeObserver], software: String, group: any EventLoopGroup,
        responseRateLimit: Int = ResponseBudget.defaultRate, logger: Logger = .diagnostics
    ) async throws -> PeerServer {
        let recorder = NodeEventRecorder(observers: observers)
        let (channel, _) = try await DatagramChannelFactory.bind(node.address, group: group) { sender in
            PeerDatagramHandler(
                driver: PeerDriver(node: node, recorder: recorder, limiter: ResponseLimiter(rate: responseRateLimit)),
                sender: sender, software: software, logger: logger)
        }
        let bound = channel.localAddress.flatMap(NodeAddress.init) ?? node.address
        return PeerServer(localAddress: bound, channel: channel, recorder: recorder)
    }

    /// Serves until graceful shutdown or cancellation, then stops with the reason `shutdown`.
    package func run() async {
        try? await gracefulShutdown()
        await stop(reason: "shutdown")
    }

    /// Stops serving: records `stop`, closes the socket and flushes the observers. Safe to call twice.
    package func stop(reason: String = "stopped") async {
        let recorder = self.recorder
        let wasActive = try? await channel.eventLoop.submit { [channel] in
            guard channel.isActive else { return false }
            recorder.record(.stopped(reason: reason))
            return true
        }.get()
        try? await channel.close()
        if wasActive == true { recorder.finish() }
    }

    /// Waits until the socket is closed.
    package func waitUntilClosed() async {
        try? await channel.closeFuture.get()
    }
}
