import ChunkNode
import DiagnosticLog
import Logging
import ServiceLifecycle

/// A running peer: its UDP socket read on a thread of its own, serving until stopped.
///
/// As a `Service` in a `ServiceGroup`, it serves until graceful shutdown (SIGTERM or SIGINT) or cancellation,
/// then stops as `stop(reason:)` does.
package final class PeerServer: Service, Sendable {
    /// The address the socket is bound to (with the real port when asked to bind port 0).
    package let localAddress: NodeAddress
    private let socket: PeerSocketThread
    private let recorder: NodeEventRecorder

    private init(localAddress: NodeAddress, socket: PeerSocketThread, recorder: NodeEventRecorder) {
        self.localAddress = localAddress
        self.socket = socket
        self.recorder = recorder
    }

    /// Binds `node.address`, records the `start` event and starts serving.
    ///
    /// - Parameters:
    ///   - node: the peer logic; its address is bound (port 0 picks a free port, but then neighbours cannot know it).
    ///   - observers: where every event goes (traces, metrics); called on the peer's socket thread.
    ///   - software: the version recorded in the `start` event.
    ///   - responseRateLimit: answers (RESPONSE, CHUNK_INFO) per second to one address, `0` for no limit.
    ///   - logger: where socket errors are reported.
    /// - Throws: `NodeIOError` when the address cannot be bound.
    package static func start(
        node: PeerNode, observers: [any NodeObserver], software: String,
        responseRateLimit: Int = ResponseBudget.defaultRate, logger: Logger = .diagnostics
    ) async throws(NodeIOError) -> PeerServer {
        let fd = try DatagramSocket.open(
            bound: node.address, receiveBufferBytes: DatagramSocket.bufferBytes, nonBlocking: false)
        let bound = DatagramSocket.localAddress(of: fd) ?? node.address
        let recorder = NodeEventRecorder(observers: observers)
        let driver = PeerDriver(node: node, recorder: recorder, limiter: ResponseLimiter(rate: responseRateLimit))
        driver.start(software: software)
        let socket = PeerSocketThread.start(descriptor: fd, driver: driver, name: "peer \(bound)", logger: logger)
        return PeerServer(localAddress: bound, socket: socket, recorder: recorder)
    }

    /// Serves until graceful shutdown or cancellation, then stops with the reason `shutdown`.
    package func run() async {
        try? await gracefulShutdown()
        await stop(reason: "shutdown")
    }

    /// Stops serving: waits for the burst being handled, records `stop`, closes the socket and flushes the
    /// observers. Safe to call twice: the second call only waits for the socket to be closed.
    package func stop(reason: String = "stopped") async {
        let first = socket.stop()
        await socket.waitUntilFinished()
        guard first else { return }
        recorder.record(.stopped(reason: reason))
        recorder.finish()
    }
}
