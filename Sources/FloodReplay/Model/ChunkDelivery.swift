/// An asked chunk that reached the client.
package struct ChunkDelivery: Sendable, Hashable {
    package var chunk: UInt16
    /// The peer that served it.
    package var peer: String
    /// When it arrived (or, without the client's trace, when the peer sent it), microseconds since the flood's
    /// start.
    package var offset: Int64
    /// `true` when `offset` is the client's receive; `false` when only the peer's send is known.
    package var seenByClient: Bool
    /// The payload size.
    package var size: Int
}
