import ChunkNode
import Dispatch
import NIOCore

/// The client on its event loop: says HELLO, feeds datagrams and ticks to the client logic, saves chunks off the
/// loop, and completes `finished` once every asked chunk is saved or the client gave up.
final class ClientDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private var node: ClientNode
    private let recorder: NodeEventRecorder
    private let sender: DatagramSender
    private var scratch = ByteBuffer()
    private let outputDirectory: String
    private let finished: EventLoopPromise<ClientEnding>
    private let fileQueue = DispatchQueue(label: "client.chunk-files")
    private var pendingWrites = 0
    private var state = State.running
    private var ticker: RepeatedTask?
    private(set) var writeErrors: [String] = []

    init(
        node: ClientNode, recorder: NodeEventRecorder, sender: DatagramSender, outputDirectory: String,
        finished: EventLoopPromise<ClientEnding>
    ) {
        self.node = node
        self.recorder = recorder
        self.sender = sender
        self.outputDirectory = outputDirectory
        self.finished = finished
    }

    /// The final state of the client logic, read after `finished` completes.
    var result: ClientNode { node }

    /// Added once the socket is bound: the exchange starts here.
    func handlerAdded(context: ChannelHandlerContext) {
        send(node.start(at: .now()), cause: nil)
        let interval = TimeAmount.nanoseconds(
            max(min(node.configuration.retryInterval.nanoseconds / 2, 50_000_000), 1_000_000))
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        ticker = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            handler.value.tick()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .finished = state { return }
        let envelope = unwrapInboundIn(data)
        guard let (message, source, length) = recorder.decode(envelope) else { return }
        guard case .running = state else {
            // Late answers while the last files are written: traced as received, so replay does not call them lost.
            recorder.record(.received(message, from: source, bytes: length))
            return
        }
        let reaction = node.receive(message, from: source, at: .now())
        if let reason = reaction.dropped {
            recorder.recordDrop(reason, from: source, datagram: envelope.data)
            return
        }
        let cause = recorder.record(.received(message, from: source, bytes: length))
        send(reaction.sends, cause: cause)
        for chunk in reaction.saved { save(chunk, eventLoop: context.eventLoop) }
        finishIfDone()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        Diagnostics.warn("socket error (ignored): \(error)")
    }

    /// Ends the client early (a signal): what has arrived is kept, the rest is reported missing.
    func interrupt() {
        end(.interrupted)
    }

    private func tick() {
        guard case .running = state else { return }
        let now = NIODeadline.now()
        let reaction = node.tick(at: now)
        for outgoing in reaction.sends { recorder.record(.retried(outgoing.message, to: outgoing.destination)) }
        send(reaction.sends, cause: nil)
        if node.hasTimedOut(at: now) { end(.timedOut) }
    }

    private func send(_ sends: [Outgoing], cause: UInt64?) {
        for outgoing in sends { sender.send(outgoing, cause: cause, through: &scratch, recorder: recorder) }
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
                    Diagnostics.warn(failure)
                } else {
                    handler.recorder.record(.saved(chunk: chunk.chunk, from: chunk.from, size: payload.readableBytes))
                }
                handler.finishIfDone()
            }
        }
    }

    private func finishIfDone() {
        if case .running = state, node.isComplete { state = .ending(.complete) }
        guard case .ending(let ending) = state, pendingWrites == 0 else { return }
        state = .finished
        ticker?.cancel()
        ticker = nil
        if ending == .timedOut { recorder.record(.timedOut) }
        let missing = node.missing
        for chunk in missing { recorder.record(.missing(chunk: chunk)) }
        recorder.record(.done(received: node.arrivals.count, missing: missing.count))
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
public enum ClientEnding: Sendable, Hashable {
    /// Every asked chunk arrived and was saved.
    case complete
    /// Nothing arrived for the inactivity timeout.
    case timedOut
    /// A signal stopped it.
    case interrupted
}
