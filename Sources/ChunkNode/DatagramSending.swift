import NIOCore

/// Hands one encoded datagram to the network: the seam between a node driver and a socket, a test channel or a
/// simulated network.
package protocol DatagramSending {
    /// Sends the readable bytes of `datagram` to `destination`.
    ///
    /// - Returns: `nil` when sent, else why not (for a socket, the kernel's error text); a failure affects this
    ///   datagram only.
    func send(_ datagram: ByteBuffer, to destination: NodeAddress) -> String?
}

/// The datagram side both drivers share: decode-or-drop on the way in; encode, send and record on the way out.
struct NodeWire {
    let recorder: NodeEventRecorder
    /// Every outgoing datagram is encoded here, then sent: no allocation per datagram.
    private var scratch = ByteBuffer()

    init(recorder: NodeEventRecorder) {
        self.recorder = recorder
    }

    /// Decodes a received datagram; a malformed one is recorded as dropped.
    func decode(_ datagram: ByteBuffer, from source: NodeAddress) -> Decoded {
        var reader = datagram
        do {
            return .message(try reader.readChunkMessage())
        } catch {
            let reason = DropReason.malformed(error)
            return .dropped(reason, seq: recordDrop(reason, from: source, datagram: datagram))
        }
    }

    enum Decoded {
        case message(ChunkMessage)
        case dropped(DropReason, seq: UInt64)
    }

    /// Records a refused datagram with its first 16 bytes; returns the `drop` event's `seq`.
    func recordDrop(_ reason: DropReason, from source: NodeAddress, datagram: ByteBuffer) -> UInt64 {
        let head = datagram.getBytes(at: datagram.readerIndex, length: min(16, datagram.readableBytes)) ?? []
        return recorder.record(.dropped(reason, from: source, bytes: datagram.readableBytes, head: head))
    }

    /// Encodes each message, hands it to `sender` and records `sent` (or `sendFailed`) with `cause`.
    mutating func send(_ sends: [Outgoing], cause: UInt64?, through sender: some DatagramSending) {
        for outgoing in sends { send(outgoing, cause: cause, through: sender) }
    }

    /// Encodes one message, hands it to `sender` and records `sent` (or `sendFailed`) with `cause`.
    mutating func send(_ outgoing: Outgoing, cause: UInt64?, through sender: some DatagramSending) {
        scratch.clear()
        guard let bytes = try? scratch.writeChunkMessage(outgoing.message) else { return }
        if let failure = sender.send(scratch, to: outgoing.destination) {
            recorder.record(
                .sendFailed(outgoing.message, to: outgoing.destination, bytes: bytes, cause: cause, reason: failure))
        } else {
            recorder.record(.sent(outgoing.message, to: outgoing.destination, bytes: bytes, cause: cause))
        }
    }
}
