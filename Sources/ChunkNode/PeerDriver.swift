import NIOCore

/// The whole step of a peer around its logic, without sockets: datagram bytes and their source in; the datagrams
/// handed to a `DatagramSending` and the events recorded (with their `seq` and `cause`) out.
///
/// A datagram is either dropped (one `drop` event; a refused message is not also recorded as received) or received
/// (one `recv` event whose `seq` is the `cause` of every `send` it leads to). The NIO handler, the replay simulator
/// and the benchmark network all run this one driver.
package struct PeerDriver {
    package let node: PeerNode
    private var wire: NodeWire
    /// The response budget; `nil` when `--response-rate-limit 0` switched it off.
    private var limiter: ResponseLimiter?
    /// The answers to each datagram are collected here: no allocation per datagram once the previous step is gone.
    private var sends = [Outgoing]()

    package init(node: PeerNode, recorder: NodeEventRecorder, limiter: ResponseLimiter? = nil) {
        self.node = node
        wire = NodeWire(recorder: recorder)
        self.limiter = limiter
    }

    /// Where the events go.
    package var recorder: NodeEventRecorder { wire.recorder }

    /// Records the `start` event: neighbours and held chunks.
    package func start(software: String) {
        recorder.record(
            .started(NodeStartInfo(neighbors: node.neighbors, held: node.store.chunkIDs, software: software)))
    }

    /// Handles one datagram from `source`: decodes it, runs the peer logic, records what happened and sends the
    /// answers the response budget admits through `sender`, in order (a batching sender's wait for `flush`).
    ///
    /// - Parameter now: monotonic nanoseconds, read only by the response budget.
    @discardableResult
    package mutating func receive(
        _ datagram: ByteBuffer, from source: NodeAddress, at now: @autoclosure () -> UInt64,
        sendingWith sender: some DatagramSending
    ) -> PeerStep {
        let message: ChunkMessage
        switch wire.decode(datagram, from: source) {
        case .message(let decoded): message = decoded
        case .dropped(let reason, let seq): return .dropped(reason, seq: seq)
        }
        sends.removeAll(keepingCapacity: true)
        let reaction = node.receive(message, from: source, appendingTo: &sends)
        switch reaction.outcome {
        case .dropped(let reason):
            return .dropped(reason, seq: wire.recordDrop(reason, from: source, datagram: datagram))
        case .queryExpired:
            recorder.note(.queryExpired)
        case .served(let unknown) where unknown > 0:
            recorder.note(.unknownChunksRequested(count: unknown))
        case .flooded, .queryForwarded, .served:
            break
        }
        let bytes = datagram.readableBytes
        let cause = recorder.record(
            reaction.ttlClampedTo.map { .receivedClamped(message, from: source, bytes: bytes, handledTTL: $0) }
                ?? .received(message, from: source, bytes: bytes))
        guard limiter != nil else {
            wire.send(sends, cause: cause, through: sender)
            return .received(message, seq: cause, sends: sends)
        }
        let time = now()
        let recorder = self.recorder
        var admitted = 0
        for index in sends.indices {
            let outgoing = sends[index]
            guard limiter?.admit(outgoing, cause: cause, at: time, recorder: recorder) ?? true else { continue }
            wire.send(outgoing, cause: cause, through: sender)
            sends[admitted] = outgoing
            admitted += 1
        }
        sends.removeLast(sends.count - admitted)
        return .received(message, seq: cause, sends: sends)
    }

    /// Sends the answers a batching sender queued (those of one read burst) together, and records them.
    package mutating func flush(sendingWith sender: some DatagramSending) {
        wire.flush(through: sender)
    }
}

/// What a driver did with one datagram.
package enum PeerStep: Sendable {
    /// Refused; `seq` is its `drop` event.
    case dropped(DropReason, seq: UInt64)
    /// Received (`seq` of the `recv` event, the `cause` of each send); `sends` were handed to the sender (or queued
    /// for a batching sender's flush) in order.
    case received(ChunkMessage, seq: UInt64, sends: [Outgoing])
}
