/// An asked chunk that reached the client.
public struct ChunkDelivery: Sendable, Hashable {
    public var chunk: UInt16
    /// The peer that served it.
    public var peer: String
    /// When it arrived (or, without the client's trace, when the peer sent it), microseconds since the flood's
    /// start.
    public var offset: Int64
    /// `true` when `offset` is the client's receive; `false` when only the peer's send is known.
    public var seenByClient: Bool
    /// The payload size.
    public var size: Int
}
