import ChunkTrace

/// A datagram of a flood that was sent and that its receiver's trace never shows arriving.
public struct LostDatagram: Sendable, Hashable {
    public var message: TraceMessageType
    public var from: String
    public var to: String
    /// For a query.
    public var ttl: Int?
    public var chunks: [UInt16]
    /// When it was sent, microseconds since the flood's start.
    public var offset: Int64
    public var reason: LossReason
    /// The visit that sent it, for a query or CHUNK_INFO.
    public var visit: Int?
}
