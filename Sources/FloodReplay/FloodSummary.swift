/// The figures of one flood.
public struct FloodSummary: Sendable, Hashable {
    /// Distinct peers the HELLO or a query reached (the contact included).
    public var peersReached: Int
    /// Distinct peers with traces in the flood's session.
    public var peersTraced: Int
    /// QUERY datagrams sent (or, from untraced senders, received).
    public var queryMessages: Int
    /// Arrivals at a peer already reached by another path.
    public var duplicates: Int
    /// The largest hop reached.
    public var depth: Int
    /// Arrivals with ttl ≤ 1 that were not forwarded.
    public var expired: Int
    /// Lost datagrams (`notReceived` and `receiverDown`).
    public var lost: Int
    /// Microseconds from the start to the last CHUNK_INFO (at the client when traced, else when sent).
    public var lastChunkInfo: Int64?
    /// Microseconds from the start to the last delivered chunk.
    public var lastChunk: Int64?
}
