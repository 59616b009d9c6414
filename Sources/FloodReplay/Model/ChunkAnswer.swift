/// A CHUNK_INFO a peer sent to the client for a flood.
package struct ChunkAnswer: Sendable, Hashable {
    package var peer: String
    package var chunks: [UInt16]
    /// The visit it answered.
    package var visit: Int
    /// When the peer sent it, microseconds since the flood's start.
    package var sentOffset: Int64
    /// When the client received it, when the client's trace shows it.
    package var receivedOffset: Int64?
}
