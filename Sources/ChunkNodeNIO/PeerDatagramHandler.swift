import ChunkNode
import NIOCore

/// The peer on its event loop: decodes each datagram, runs the peer logic, sends the reaction from the same socket.
final class PeerDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let node: PeerNode
    private let recorder: NodeEventRecorder
    private var socketAddresses = [NodeAddress: SocketAddress]()
    private static let socketAddressCacheLimit = 4096

    init(node: PeerNode, recorder: NodeEventRecorder) {
        self.node = node
        self.recorder = recorder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let started = recorder.isObserved ? NIODeadline.now() : nil
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
        let reaction = node.receive(message, from: sender)
        switch reaction.outcome {
        case .dropped(let reason):
            recordDrop(reason, from: sender, datagram: envelope.data)
            return
        case .queryExpired:
            recorder.note(.queryExpired)
        case .served(let unknown) where unknown > 0:
            recorder.note(.unknownChunksRequested(count: unknown))
        case .flooded, .queryForwarded, .served:
            break
        }
        let cause = recorder.record(.received(message, from: sender, bytes: length))
        for outgoing in reaction.sends {
            var buffer = context.channel.allocator.buffer(capacity: outgoing.message.encodedLength)
            guard let bytes = try? buffer.writeChunkMessage(outgoing.message) else { continue }
            let envelope = AddressedEnvelope(remoteAddress: socketAddress(of: outgoing.destination), data: buffer)
            context.write(wrapOutboundOut(envelope), promise: nil)
            recorder.record(.sent(outgoing.message, to: outgoing.destination, bytes: bytes, cause: cause))
        }
        if let started {
            let seconds = Double((NIODeadline.now() - started).nanoseconds) / 1e9
            recorder.note(.handled(message.type, seconds: seconds))
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A UDP socket reports errors such as an unreachable neighbour here; the peer keeps serving.
        Diagnostics.warn("socket error (ignored): \(error)")
    }

    private func recordDrop(_ reason: DropReason, from sender: NodeAddress, datagram: ByteBuffer) {
        let head = datagram.getBytes(at: datagram.readerIndex, length: min(16, datagram.readableBytes)) ?? []
        recorder.record(.dropped(reason, from: sender, bytes: datagram.readableBytes, head: head))
    }

    private func socketAddress(of node: NodeAddress) -> SocketAddress {
        if let cached = socketAddresses[node] { return cached }
        if socketAddresses.count >= Self.socketAddressCacheLimit { socketAddresses.removeAll(keepingCapacity: true) }
        let address = SocketAddress(node)
        socketAddresses[node] = address
        return address
    }
}
