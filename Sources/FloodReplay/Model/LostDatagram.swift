import ChunkTrace

/// A datagram of a flood that was sent and that its receiver's trace never shows arriving.
package struct LostDatagram: Sendable, Hashable {
    package var message: TraceMessageType
    package var from: String
    package var to: String
    /// For a query.
    package var ttl: Int?
    package var chunks: [UInt16]
    /// When it was sent, microseconds since the flood's start.
    package var offset: Int64
    package var reason: LossReason
    /// The visit that sent it, for a query or CHUNK_INFO.
    package var visit: Int?
}
