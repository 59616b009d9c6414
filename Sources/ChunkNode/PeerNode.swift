/// The peer's protocol logic, without sockets: a message in, the messages to send out.
package struct PeerNode: Sendable {
    /// The ttl a contact peer puts on the queries it floods for a HELLO unless told otherwise (the course's).
    package static let initialTTL: UInt16 = 3

    package let address: NodeAddress
    package let neighbors: [NodeAddress]
    package let store: ChunkStore
    /// The ttl of the queries this peer floods for a HELLO (`peer --query-ttl`).
    package let queryTTL: UInt16
    /// The largest ttl a QUERY is handled with (`--max-ttl`); one carrying more is handled as if it carried this.
    package let maxTTL: UInt16

    /// - Parameters:
    ///   - queryTTL: the ttl of the floods this peer starts; by default the course's.
    ///   - maxTTL: at least 1; by default the course's ttl, so one QUERY cannot start a storm.
    package init(
        address: NodeAddress, neighbors: [NodeAddress], store: ChunkStore, queryTTL: UInt16 = initialTTL,
        maxTTL: UInt16 = initialTTL
    ) {
        self.address = address
        self.neighbors = neighbors
        self.store = store
        self.queryTTL = queryTTL
        self.maxTTL = max(maxTTL, 1)
    }

    /// Reacts to one decoded message from `sender`.
    ///
    /// - Returns: the datagrams to send, in order, and what the peer made of the message.
    package func receive(_ message: ChunkMessage, from sender: NodeAddress) -> PeerReaction {
        var sends = [Outgoing]()
        let (outcome, clamped) = receive(message, from: sender, appendingTo: &sends)
        return PeerReaction(sends: sends, outcome: outcome, ttlClampedTo: clamped)
    }

    /// Reacts to one decoded message from `sender`, appending the datagrams to send to `sends` in order (a driver
    /// that keeps one array allocates nothing per datagram).
    ///
    /// - Returns: what the peer made of the message; for a QUERY above `maxTTL`, the ttl it was handled with.
    package func receive(
        _ message: ChunkMessage, from sender: NodeAddress, appendingTo sends: inout [Outgoing]
    ) -> (outcome: PeerOutcome, ttlClampedTo: UInt16?) {
        switch message {
        case .hello(let chunks):
            sends.reserveCapacity(sends.count + neighbors.count + 1)
            let held = chunks.filter(store.holds)
            if !held.isEmpty { sends.append(Outgoing(.chunkInfo(chunks: held), to: sender)) }
            let query = ChunkMessage.query(client: sender, ttl: queryTTL, chunks: chunks)
            for neighbor in neighbors { sends.append(Outgoing(query, to: neighbor)) }
            return (.flooded, nil)
        case .query(let client, let received, let chunks):
            let held = chunks.filter(store.holds)
            if !held.isEmpty { sends.append(Outgoing(.chunkInfo(chunks: held), to: client)) }
            let clamped = received > maxTTL ? maxTTL : nil
            let ttl = clamped ?? received
            guard ttl > 1 else { return (.queryExpired, clamped) }
            let forwarded = ChunkMessage.query(client: client, ttl: ttl - 1, chunks: chunks)
            for neighbor in neighbors where neighbor != sender { sends.append(Outgoing(forwarded, to: neighbor)) }
            return (.queryForwarded, clamped)
        case .get(let chunks):
            sends.reserveCapacity(sends.count + chunks.count)
            var unknown = 0
            // An id repeated inside one GET is answered once, so one small GET cannot ask for many answers.
            var asked = Set<ChunkID>(minimumCapacity: chunks.count > 1 ? chunks.count : 0)
            for chunk in chunks where chunks.count == 1 || asked.insert(chunk).inserted {
                if let payload = store[chunk] {
                    sends.append(Outgoing(.response(chunk: chunk, payload: payload), to: sender))
                } else {
                    unknown += 1
                }
            }
            return (.served(unknownChunks: unknown), nil)
        case .chunkInfo, .response:
            return (.dropped(.unexpected(message.type)), nil)
        }
    }
}

/// What a peer does about one message.
package struct PeerReaction: Sendable, Hashable {
    package var sends: [Outgoing]
    package var outcome: PeerOutcome
    /// For a QUERY whose ttl was above `PeerNode.maxTTL`: the ttl it was handled with.
    package var ttlClampedTo: UInt16? = nil
}

/// What a peer made of one message, for metrics and traces.
package enum PeerOutcome: Sendable, Hashable {
    /// A HELLO: answered and flooded to every neighbour.
    case flooded
    /// A QUERY forwarded to the other neighbours.
    case queryForwarded
    /// A QUERY whose ttl ran out here: answered, not forwarded.
    case queryExpired
    /// A GET answered; `unknownChunks` ids were not held and ignored.
    case served(unknownChunks: Int)
    /// A message a peer does not accept.
    case dropped(DropReason)
}
