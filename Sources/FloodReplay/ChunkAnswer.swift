/// A CHUNK_INFO a peer sent to the client for a flood.
public struct ChunkAnswer: Sendable, Hashable {
    public var peer: String
    public var chunks: [UInt16]
    /// The visit it answered.
    public var visit: Int
    /// When the peer sent it, microseconds since the flood's start.
    public var sentOffset: Int64
    /// When the client received it, when the client's trace shows it.
    public var receivedOffset: Int64?
}
