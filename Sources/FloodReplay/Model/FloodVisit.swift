/// One arrival of a flood at a peer: the HELLO at the contact peer, or a QUERY at any peer.
package struct FloodVisit: Sendable, Hashable {
    /// Position in `Flood.visits`.
    package var id: Int
    package var node: String
    /// Who sent the HELLO (the client) or the QUERY.
    package var from: String
    /// The visit that forwarded this query; `nil` for the contact peer, or when the sender's trace is missing.
    package var parent: Int?
    /// 0 for the contact peer, 1 for its neighbours, ...
    package var hop: Int
    /// The ttl the query arrived with; `nil` for the HELLO.
    package var ttl: Int?
    /// When it arrived, microseconds since the flood's start.
    package var offset: Int64
    /// When the parent sent the query, microseconds since the flood's start; `nil` when the send is not traced.
    package var sentOffset: Int64?
    /// When this peer had already been reached in this flood by another path: the id of that first visit.
    package var duplicateOf: Int?
    /// The query arrived with ttl ≤ 1 and was not forwarded.
    package var expired: Bool
    /// Where this peer forwarded the query, in send order.
    package var forwardedTo: [String]
    /// The chunks this peer announced to the client in answer to this arrival (empty: it held none).
    package var answered: [UInt16]
    /// The arrival is known from the receiver's trace only: the sender has no trace (or lost that part).
    package var senderUntraced: Bool
    /// This visit stands for a contact peer without traces; only its queries' receivers are known.
    package var untracedContact: Bool

    package var isDuplicate: Bool { duplicateOf != nil }
}
