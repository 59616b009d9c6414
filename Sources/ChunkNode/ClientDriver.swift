import NIOCore

/// The whole step of a client around its logic, without sockets or files: datagram bytes, their source and the
/// time in; the datagrams handed to a `DatagramSending`, the chunks to save and the events recorded out.
///
/// As for `PeerDriver`, a datagram is either dropped (one `drop` event) or received (one `recv` event, the `cause`
/// of the GETs it leads to). Saving chunk files is the caller's job; it reports each saved file with `saved(_:)`.
package struct ClientDriver {
    package private(set) var node: ClientNode
    private var wire: NodeWire

    package init(node: ClientNode, recorder: NodeEventRecorder) {
        self.node = node
        wire = NodeWire(recorder: recorder)
    }

    /// Where the events go.
    package var recorder: NodeEventRecorder { wire.recorder }

    /// Records the `start` event and sends the HELLO to the contact peer.
    package mutating func start(at now: NIODeadline, software: String, sendingWith sender: some DatagramSending) {
        recorder.record(.started(NodeStartInfo(contact: node.configuration.contact, software: software)))
        wire.send(node.start(at: now), cause: nil, through: sender)
        wire.flush(through: sender)
    }

    /// Handles one datagram from `source`: decodes it, runs the client logic, records what happened and sends the
    /// GETs it asks for through `sender` (a batching sender's wait for `flush`).
    @discardableResult
    package mutating func receive(
        _ datagram: ByteBuffer, from source: NodeAddress, at now: NIODeadline, sendingWith sender: some DatagramSending
    ) -> ClientStep {
        let message: ChunkMessage
        switch wire.decode(datagram, from: source) {
        case .message(let decoded): message = decoded
        case .dropped(let reason, let seq): return .dropped(reason, seq: seq)
        }
        let reaction = node.receive(message, from: source, at: now)
        if let reason = reaction.dropped {
            return .dropped(reason, seq: wire.recordDrop(reason, from: source, datagram: datagram))
        }
        let cause = recorder.record(.received(message, from: source, bytes: datagram.readableBytes))
        wire.send(reaction.sends, cause: cause, through: sender)
        return .received(message, seq: cause, sends: reaction.sends, saved: reaction.saved)
    }

    /// Records a datagram that arrives while the client is ending (its last files being written) as received,
    /// without running the logic, so that replay does not call the answer lost.
    package mutating func receiveWhileEnding(_ datagram: ByteBuffer, from source: NodeAddress) {
        guard case .message(let message) = wire.decode(datagram, from: source) else { return }
        recorder.record(.received(message, from: source, bytes: datagram.readableBytes))
    }

    /// Re-sends what is due at `now` (GET and HELLO retries): each is recorded as `retry`, then sent.
    @discardableResult
    package mutating func tick(at now: NIODeadline, sendingWith sender: some DatagramSending) -> [Outgoing] {
        let sends = node.tick(at: now).sends
        for outgoing in sends { recorder.record(.retried(outgoing.message, to: outgoing.destination)) }
        wire.send(sends, cause: nil, through: sender)
        wire.flush(through: sender)
        return sends
    }

    /// Sends the GETs a batching sender queued (those of one read burst) together, and records them.
    package mutating func flush(sendingWith sender: some DatagramSending) {
        wire.flush(through: sender)
    }

    /// Records that a chunk's file was written.
    package func saved(_ chunk: SavedChunk) {
        recorder.record(.saved(chunk: chunk.chunk, from: chunk.from, size: chunk.payload.readableBytes))
    }

    /// Records the end of the run: `timeout` when it timed out, one `missing` per chunk that did not arrive, `done`.
    package func finish(timedOut: Bool) {
        if timedOut { recorder.record(.timedOut) }
        let missing = node.missing
        for chunk in missing { recorder.record(.missing(chunk: chunk)) }
        recorder.record(.done(received: node.arrivals.count, missing: missing.count))
    }
}

/// What a client driver did with one datagram.
package enum ClientStep: Sendable {
    /// Refused; `seq` is its `drop` event.
    case dropped(DropReason, seq: UInt64)
    /// Received (`seq` of the `recv` event, the `cause` of each send); `sends` were handed to the sender in order
    /// and `saved` are the chunks the caller must now write.
    case received(ChunkMessage, seq: UInt64, sends: [Outgoing], saved: [SavedChunk])
}
