import ChunkNode
import NIOCore

/// The peer on its event loop: decodes each datagram, runs the peer logic, sends the reaction from the same socket.
final class PeerDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let node: PeerNode
    private let recorder: NodeEventRecorder
    private let sender: DatagramSender
    /// The response budget; `nil` when `--response-rate-limit 0` switched it off.
    private var limiter: ResponseLimiter?
    /// Every outgoing datagram is encoded here, then sent: no allocation per datagram.
    private var scratch = ByteBuffer()

    init(node: PeerNode, recorder: NodeEventRecorder, sender: DatagramSender, limiter: ResponseLimiter?) {
        self.node = node
        self.recorder = recorder
        self.sender = sender
        self.limiter = limiter
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let started = recorder.isObserved ? NIODeadline.now() : nil
        guard let (message, source, length) = recorder.decode(envelope) else { return }
        let reaction = node.receive(message, from: source)
        switch reaction.outcome {
        case .dropped(let reason):
            recorder.recordDrop(reason, from: source, datagram: envelope.data)
            return
        case .queryExpired:
            recorder.note(.queryExpired)
        case .served(let unknown) where unknown > 0:
            recorder.note(.unknownChunksRequested(count: unknown))
        case .flooded, .queryForwarded, .served:
            break
        }
        let cause = recorder.record(
            reaction.ttlClampedTo.map { .receivedClamped(message, from: source, bytes: length, handledTTL: $0) }
                ?? .received(message, from: source, bytes: length))
        let now = limiter == nil ? 0 : NIODeadline.now().uptimeNanoseconds
        for outgoing in reaction.sends {
            guard limiter?.admit(outgoing, cause: cause, at: now, recorder: recorder) ?? true else { continue }
            sender.send(outgoing, cause: cause, through: &scratch, recorder: recorder)
        }
        if let started {
            let seconds = Double((NIODeadline.now() - started).nanoseconds) / 1e9
            recorder.note(.handled(message.type, seconds: seconds))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A UDP socket reports errors such as an ICMP "port unreachable" here; the peer keeps serving.
        Diagnostics.warn("socket error (ignored): \(error)")
    }
}

extension DatagramSender {
    /// Encodes `outgoing` into `scratch`, sends it, and records the send (or its failure).
    func send(_ outgoing: Outgoing, cause: UInt64?, through scratch: inout ByteBuffer, recorder: NodeEventRecorder) {
        scratch.clear()
        guard let bytes = try? scratch.writeChunkMessage(outgoing.message) else { return }
        if let failure = send(scratch, to: outgoing.destination) {
            recorder.record(
                .sendFailed(outgoing.message, to: outgoing.destination, bytes: bytes, cause: cause, reason: failure))
        } else {
            recorder.record(.sent(outgoing.message, to: outgoing.destination, bytes: bytes, cause: cause))
        }
    }
}

extension NodeEventRecorder {
    /// Decodes one received datagram; a malformed one is recorded as dropped and gives `nil`, as does a non-IPv4
    /// sender.
    func decode(_ envelope: AddressedEnvelope<ByteBuffer>) -> (ChunkMessage, NodeAddress, Int)? {
        guard let source = NodeAddress(envelope.remoteAddress) else { return nil }
        var datagram = envelope.data
        do {
            return (try datagram.readChunkMessage(), source, envelope.data.readableBytes)
        } catch {
            recordDrop(.malformed(error), from: source, datagram: envelope.data)
            return nil
        }
    }

    /// Records a refused datagram with its first 16 bytes.
    func recordDrop(_ reason: DropReason, from source: NodeAddress, datagram: ByteBuffer) {
        let head = datagram.getBytes(at: datagram.readerIndex, length: min(16, datagram.readableBytes)) ?? []
        record(.dropped(reason, from: source, bytes: datagram.readableBytes, head: head))
    }
}
