import NIOCore

/// The datagram side both drivers share: decode-or-drop on the way in; encode, send and record on the way out.
///
/// With a sender that sends in batches, outgoing datagrams wait in a batch until `flush` (the end of a read burst)
/// or until the batch is full; their `sent`/`sendFailed` events are recorded when they leave.
struct NodeWire {
    let recorder: NodeEventRecorder
    /// Every datagram sent at once is encoded here, then sent: no allocation per datagram.
    private var scratch = ByteBuffer()
    /// The datagrams waiting for `flush`; its memory is kept from one burst to the next.
    private var batch = OutgoingBatch()
    /// The id list of each decoded message is built here, so decoding allocates nothing once the previous message
    /// is gone.
    private var ids = [ChunkID]()

    init(recorder: NodeEventRecorder) {
        self.recorder = recorder
    }

    /// Decodes a received datagram; a malformed one is recorded as dropped.
    mutating func decode(_ datagram: ByteBuffer, from source: NodeAddress) -> Decoded {
        var reader = datagram
        do {
            return .message(try reader.readChunkMessage(reusing: &ids))
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

    /// Encodes each message and sends it (or queues it, see `flush`), recording `sent` or `sendFailed` with `cause`.
    mutating func send(_ sends: [Outgoing], cause: UInt64?, through sender: some DatagramSending) {
        for outgoing in sends { send(outgoing, cause: cause, through: sender) }
    }

    /// Encodes one message and sends it (or queues it, see `flush`), recording `sent` or `sendFailed` with `cause`.
    mutating func send(_ outgoing: Outgoing, cause: UInt64?, through sender: some DatagramSending) {
        if sender.sendsInBatches {
            if batch.append(outgoing, cause: cause), batch.isFull { flush(through: sender) }
            return
        }
        scratch.clear()
        guard let bytes = try? scratch.writeChunkMessage(outgoing.message) else { return }
        let handedOver = recorder.now()
        let failure = sender.send(scratch, to: outgoing.destination)
        record(outgoing, bytes: bytes, cause: cause, failure: failure, at: handedOver)
    }

    /// Sends the queued datagrams together and records, in queue order, `sent` for each or `sendFailed` for one
    /// the network refused (that one only), all stamped with the time they were handed to the network.
    mutating func flush(through sender: some DatagramSending) {
        guard !batch.isEmpty else { return }
        // Read before they leave: a receiver on this host, woken at once, must not stamp its `recv` earlier.
        let handedOver = recorder.now()
        var refusals: [(index: Int, reason: String)] = []
        sender.send(batch) { index, reason in refusals.append((index, reason)) }
        var nextRefusal = refusals.startIndex
        for (index, entry) in batch.entries.enumerated() {
            var failure: String?
            if nextRefusal < refusals.endIndex, refusals[nextRefusal].index == index {
                failure = refusals[nextRefusal].reason
                nextRefusal += 1
            }
            record(entry.outgoing, bytes: entry.length, cause: entry.cause, failure: failure, at: handedOver)
        }
        batch.removeAll()
    }

    private func record(_ outgoing: Outgoing, bytes: Int, cause: UInt64?, failure: String?, at timestamp: Int64) {
        if let failure {
            recorder.record(
                .sendFailed(outgoing.message, to: outgoing.destination, bytes: bytes, cause: cause, reason: failure),
                at: timestamp)
        } else {
            recorder.record(
                .sent(outgoing.message, to: outgoing.destination, bytes: bytes, cause: cause), at: timestamp)
        }
    }
}
