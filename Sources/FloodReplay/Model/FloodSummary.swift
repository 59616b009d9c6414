/// The figures of one flood.
package struct FloodSummary: Sendable, Hashable {
    /// Distinct peers the HELLO or a query reached (the contact included).
    package var peersReached: Int
    /// Distinct peers with traces in the flood's session.
    package var peersTraced: Int
    /// QUERY datagrams sent (or, from untraced senders, received).
    package var queryMessages: Int
    /// Arrivals at a peer already reached by another path.
    package var duplicates: Int
    /// The largest hop reached.
    package var depth: Int
    /// Arrivals with ttl ≤ 1 that were not forwarded.
    package var expired: Int
    /// Lost datagrams (`notReceived` and `receiverDown`).
    package var lost: Int
    /// Microseconds from the start to the last CHUNK_INFO (at the client when traced, else when sent).
    package var lastChunkInfo: Int64?
    /// Microseconds from the start to the last delivered chunk.
    package var lastChunk: Int64?
}
