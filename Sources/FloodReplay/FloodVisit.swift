/// One arrival of a flood at a peer: the HELLO at the contact peer, or a QUERY at any peer.
public struct FloodVisit: Sendable, Hashable {
    /// Position in `Flood.visits`.
    public var id: Int
    public var node: String
    /// Who sent the HELLO (the client) or the QUERY.
    public var from: String
    /// The visit that forwarded this query; `nil` for the contact peer, or when the sender's trace is missing.
    public var parent: Int?
    /// 0 for the contact peer, 1 for its neighbours, ...
    public var hop: Int
    /// The ttl the query arrived with; `nil` for the HELLO.
    public var ttl: Int?
    /// When it arrived, microseconds since the flood's start.
    public var offset: Int64
    /// When the parent sent the query, microseconds since the flood's start; `nil` when the send is not traced.
    public var sentOffset: Int64?
    /// When this peer had already been reached in this flood by another path: the id of that first visit.
    public var duplicateOf: Int?
    /// The query arrived with ttl ≤ 1 and was not forwarded.
    public var expired: Bool
    /// Where this peer forwarded the query, in send order.
    public var forwardedTo: [String]
    /// The chunks this peer announced to the client in answer to this arrival (empty: it held none).
    public var answered: [UInt16]
    /// The arrival is known from the receiver's trace only: the sender has no trace (or lost that part).
    public var senderUntraced: Bool
    /// This visit stands for a contact peer without traces; only its queries' receivers are known.
    public var untracedContact: Bool

    public var isDuplicate: Bool { duplicateOf != nil }
}
