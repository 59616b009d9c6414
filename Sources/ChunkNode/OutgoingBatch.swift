import NIOCore

/// Datagrams encoded back to back in one buffer, waiting to be handed to the network together (one `sendmmsg(2)`
/// for the answers of one read burst), each with what its `sent` or `sendFailed` event will say.
package struct OutgoingBatch {
    /// One queued datagram: `length` bytes of `bytes` from `offset`, and why it is sent.
    package struct Entry {
        package var outgoing: Outgoing
        package var cause: UInt64?
        package var offset: Int
        package var length: Int
    }

    /// Datagrams queued before the batch is sent without waiting for the end of the read burst.
    package static let maxDatagrams = 64
    /// Bytes queued before the batch is sent without waiting for the end of the read burst.
    package static let maxBytes = 1 << 20

    /// Every queued datagram, back to back.
    package private(set) var bytes = ByteBuffer()
    package private(set) var entries: [Entry] = []

    init() {
        entries.reserveCapacity(Self.maxDatagrams)
    }

    package var isEmpty: Bool { entries.isEmpty }

    /// Whether the batch should be sent now rather than at the end of the burst.
    var isFull: Bool { entries.count >= Self.maxDatagrams || bytes.readableBytes >= Self.maxBytes }

    /// The bytes of the datagram at `index`, without a copy.
    package func datagram(at index: Int) -> ByteBuffer {
        bytes.getSlice(at: entries[index].offset, length: entries[index].length) ?? ByteBuffer()
    }

    /// Encodes `outgoing` at the end of the batch; `false` (nothing queued) when it does not fit the wire format.
    mutating func append(_ outgoing: Outgoing, cause: UInt64?) -> Bool {
        let offset = bytes.writerIndex
        guard let length = try? bytes.writeChunkMessage(outgoing.message) else {
            bytes.moveWriterIndex(to: offset)
            return false
        }
        entries.append(Entry(outgoing: outgoing, cause: cause, offset: offset, length: length))
        return true
    }

    /// Empties the batch, keeping its memory for the next burst.
    mutating func removeAll() {
        bytes.clear()
        entries.removeAll(keepingCapacity: true)
    }
}
