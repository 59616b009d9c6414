import ChunkNode
import Dispatch
import Logging
import NIOCore

/// The client on its event loop: says HELLO, feeds datagrams and ticks to the client logic, saves chunks off the
/// loop, and completes `finished` once every asked chunk is saved or the client gave up.
final class ClientDatagramHandler<Sender: DatagramSending & SendableMetatype>: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private var driver: ClientDriver
    private let sender: Sender
    private let software: String
    private let outputDirectory: String
    private let finished: EventLoopPromise<ClientEnding>
    private let logger: Logger
    private let fileQueue = DispatchQueue(label: "client.chunk-files")
    private var pendingWrites = 0
    private var state = State.running
    private var ticker: RepeatedTask?
    private(set) var writeErrors: [String] = []

    /// - Parameters:
    ///   - software: the version recorded in the `start` event.
    ///   - logger: where socket errors and chunk files that cannot be written are reported.
    init(
        driver: ClientDriver, sender: Sender, software: String, outputDirectory: String,
        finished: EventLoopPromise<ClientEnding>, logger: Logger
    ) {
        self.logger = logger
        self.driver = driver
        self.sender = sender
        self.software = software
        self.outputDirectory = outputDirectory
        self.finished = finished
    }

    /// The final state of the client logic, read after `finished` completes.
    var result: ClientNode { driver.node }

    /// Added once the socket is bound and the observers exist: the exchange starts here.
    func handlerAdded(context: ChannelHandlerContext) {
        driver.start(at: .now(), software: software, sendingWith: sender)
        let interval = TimeAmount.nanoseconds(
            max(min(driver.node.configuration.retryInterval.nanoseconds / 2, 50_000_000), 1_000_000))
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        ticker = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            handler.value.tick()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .finished = state { return }
        let envelope = unwrapInboundIn(data)
        guard let source = NodeAddress(envelope.remoteAddress) else { return }
        guard case .running = state else {
            driver.receiveWhileEnding(envelope.data, from: source)
            return
        }
        let step = driver.receive(envelope.data, from: source, at: .now(), sendingWith: sender)
        guard case .received(_, _, _, let saved) = step else { return }
        for chunk in saved { save(chunk, eventLoop: context.eventLoop) }
        finishIfDone()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        driver.flush(sendingWith: sender)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        driver.flush(sendingWith: sender)
        logger.warning("socket error (ignored): \(error)")
    }

    /// Ends the client early (a signal): what has arrived is kept, the rest is reported missing.
    func interrupt() {
        end(.interrupted)
    }

    private func tick() {
        guard case .running = state else { return }
        let now = NIODeadline.now()
        driver.tick(at: now, sendingWith: sender)
        if driver.node.hasTimedOut(at: now) { end(.timedOut) }
    }

    private func save(_ chunk: SavedChunk, eventLoop: any EventLoop) {
        pendingWrites += 1
        let path = outputDirectory + "/" + ChunkFileWriter.chunkFileName(chunk.chunk)
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        // A copy, so the payload does not keep NIO's 1 MiB receive buffer alive while the file is written.
        let payload = ByteBuffer(bytes: chunk.payload.readableBytesView)
        fileQueue.async {
            let failure: String?
            do {
                try ChunkFileWriter.write(payload.readableBytesView, to: path)
                failure = nil
            } catch {
                failure = "\(error)"
            }
            eventLoop.execute {
                let handler = loopBound.value
                handler.pendingWrites -= 1
                if let failure {
                    handler.writeErrors.append(failure)
                    handler.logger.warning("\(failure)")
                } else {
                    handler.driver.saved(chunk)
                }
                handler.finishIfDone()
            }
        }
    }

    private func finishIfDone() {
        if case .running = state, driver.node.isComplete { state = .ending(.complete) }
        guard case .ending(let ending) = state, pendingWrites == 0 else { return }
        state = .finished
        ticker?.cancel()
        ticker = nil
        driver.finish(timedOut: ending == .timedOut)
        finished.succeed(ending)
    }

    private func end(_ reason: ClientEnding) {
        guard case .running = state else { return }
        state = .ending(reason)
        finishIfDone()
    }

}

extension ClientDatagramHandler {
    private enum State {
        case running
        /// Waiting for the last chunk files to be written.
        case ending(ClientEnding)
        case finished
    }
}

/// Why a client ended.
package enum ClientEnding: Sendable, Hashable {
    /// Every asked chunk arrived and was saved.
    case complete
    /// Nothing arrived for the inactivity timeout.
    case timedOut
    /// A signal stopped it.
    case interrupted
}
