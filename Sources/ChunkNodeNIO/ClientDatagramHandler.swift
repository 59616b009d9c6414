import ChunkNode
import Dispatch
import NIOCore

/// The client on its event loop: says HELLO, feeds datagrams and ticks to the client logic, saves chunks off the
/// loop, and completes `finished` once every asked chunk is saved or the client gave up.
final class ClientDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private var node: ClientNode
    private let recorder: NodeEventRecorder
    private let outputDirectory: String
    private let finished: EventLoopPromise<ClientEnding>
    private let fileQueue = DispatchQueue(label: "client.chunk-files")
    private var pendingWrites = 0
    private var state = State.running
    private var ticker: RepeatedTask?
    private(set) var writeErrors: [String] = []

    init(node: ClientNode, recorder: NodeEventRecorder, outputDirectory: String, finished: EventLoopPromise<ClientEnding>) {
        self.node = node
        self.recorder = recorder
        self.outputDirectory = outputDirectory
        self.finished = finished
    }

    /// The final state of the client logic, read after `finished` completes.
    var result: ClientNode { node }

    /// Added once the socket is bound: the exchange starts here.
    func handlerAdded(context: ChannelHandlerContext) {
        send(node.start(at: .now()), context: context, cause: nil)
        context.flush()
        let interval = TimeAmount.nanoseconds(
            max(min(node.configuration.retryInterval.nanoseconds / 2, 50_000_000), 1_000_000))
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        ticker = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            let (handler, context) = loopBound.value
            handler.tick(context: context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .running = state else { return }
        let envelope = unwrapInboundIn(data)
        var datagram = envelope.data
        let length = datagram.readableBytes
        guard let sender = NodeAddress(envelope.remoteAddress) else { return }
        let message: ChunkMessage
        do {
            message = try datagram.readChunkMessage()
        } catch {
            recordDrop(.malformed(error), from: sender, datagram: envelope.data)
            return
        }
        let reaction = node.receive(message, from: sender, at: .now())
        if let reason = reaction.dropped {
            recordDrop(reason, from: sender, datagram: envelope.data)
            return
        }
        let cause = recorder.record(.received(message, from: sender, bytes: length))
        send(reaction.sends, context: context, cause: cause)
        for chunk in reaction.saved { save(chunk, context: context) }
        finishIfDone(context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        Diagnostics.warn("socket error (ignored): \(error)")
    }

    /// Ends the client early (a signal): what has arrived is kept, the rest is reported missing.
    func interrupt(context: ChannelHandlerContext) {
        end(.interrupted, context: context)
    }

    private func tick(context: ChannelHandlerContext) {
        guard case .running = state else { return }
        let now = NIODeadline.now()
        let reaction = node.tick(at: now)
        for outgoing in reaction.sends { recorder.record(.retried(outgoing.message, to: outgoing.destination)) }
        send(reaction.sends, context: context, cause: nil)
        context.flush()
        if node.hasTimedOut(at: now) { end(.timedOut, context: context) }
    }

    private func send(_ sends: [Outgoing], context: ChannelHandlerContext, cause: UInt64?) {
        for outgoing in sends {
            var buffer = context.channel.allocator.buffer(capacity: outgoing.message.encodedLength)
            guard let bytes = try? buffer.writeChunkMessage(outgoing.message) else { continue }
            let envelope = AddressedEnvelope(remoteAddress: SocketAddress(outgoing.destination), data: buffer)
            context.write(wrapOutboundOut(envelope), promise: nil)
            recorder.record(.sent(outgoing.message, to: outgoing.destination, bytes: bytes, cause: cause))
        }
    }

    private func save(_ chunk: SavedChunk, context: ChannelHandlerContext) {
        pendingWrites += 1
        let path = outputDirectory + "/" + ChunkFileWriter.chunkFileName(chunk.chunk)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let payload = chunk.payload
        let eventLoop = context.eventLoop
        fileQueue.async {
            let failure: String?
            do {
                try ChunkFileWriter.write(payload.readableBytesView, to: path)
                failure = nil
            } catch {
                failure = "\(error)"
            }
            eventLoop.execute {
                let (handler, context) = loopBound.value
                handler.pendingWrites -= 1
                if let failure {
                    handler.writeErrors.append(failure)
                    Diagnostics.warn(failure)
                } else {
                    handler.recorder.record(.saved(chunk: chunk.chunk, from: chunk.from, size: payload.readableBytes))
                }
                handler.finishIfDone(context: context)
            }
        }
    }

    private func finishIfDone(context: ChannelHandlerContext) {
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

    private func end(_ reason: ClientEnding, context: ChannelHandlerContext) {
        guard case .running = state else { return }
        state = .ending(reason)
        finishIfDone(context: context)
    }

    private func recordDrop(_ reason: DropReason, from sender: NodeAddress, datagram: ByteBuffer) {
        let head = datagram.getBytes(at: datagram.readerIndex, length: min(16, datagram.readableBytes)) ?? []
        recorder.record(.dropped(reason, from: sender, bytes: datagram.readableBytes, head: head))
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
