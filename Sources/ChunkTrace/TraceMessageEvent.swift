/// A `send` or `recv` of one message, in the form a node has at hand: the fast path of a trace, written without
/// building a `TraceEvent` (no `String` per address, no array for a response's one chunk).
///
/// `TraceSink.recordMessage` writes exactly the line that `record` would write for `event(prefix:seq:timestamp:)`.
package struct TraceMessageEvent: Sendable, Hashable {
    /// `true` for `send` (the peer is `to`), `false` for `recv` (the peer is `from`).
    package var sent: Bool
    package var message: TraceMessageType
    /// The other end: the destination of a send, the sender of a receive.
    package var peer: TraceAddress
    /// The datagram length.
    package var bytes: Int
    /// The chunk ids (unused when `responseChunk` is set).
    package var chunks: [UInt16]
    /// A response's one chunk id.
    package var responseChunk: UInt16?
    /// A response's payload size.
    package var size: Int?
    /// A query's client address.
    package var client: TraceAddress?
    /// A query's ttl.
    package var ttl: Int?
    /// For a send, the `seq` of the receive that caused it.
    package var cause: UInt64?

    package init(
        sent: Bool, message: TraceMessageType, peer: TraceAddress, bytes: Int, chunks: [UInt16] = [],
        responseChunk: UInt16? = nil, size: Int? = nil, client: TraceAddress? = nil, ttl: Int? = nil,
        cause: UInt64? = nil
    ) {
        self.sent = sent
        self.message = message
        self.peer = peer
        self.bytes = bytes
        self.chunks = chunks
        self.responseChunk = responseChunk
        self.size = size
        self.client = client
        self.ttl = ttl
        self.cause = cause
    }

    /// The same event as a `TraceEvent`.
    package func event(prefix: TraceLinePrefix, seq: UInt64, timestamp: Int64) -> TraceEvent {
        TraceEvent(
            timestamp: timestamp, node: prefix.node, role: prefix.role, run: prefix.run, seq: seq,
            kind: sent ? .send : .recv, message: message, from: sent ? nil : peer.description,
            to: sent ? peer.description : nil, bytes: bytes, chunks: responseChunk.map { [$0] } ?? chunks,
            size: size, client: client?.description, ttl: ttl, cause: cause)
    }
}
