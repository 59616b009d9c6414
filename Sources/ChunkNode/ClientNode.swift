import NIOCore

/// The client's protocol logic, without sockets: it says HELLO, asks the first announcer of each chunk for it,
/// re-asks when a GET goes unanswered, and knows when it is done.
package struct ClientNode: Sendable {
    package let configuration: ClientConfiguration

    private struct Request: Sendable {
        var peer: NodeAddress
        var sentAt: NIODeadline
        var attempts: Int
        var askedOf: Set<NodeAddress>
    }

    /// Who announced each chunk, first announcer first.
    private var announcers: [ChunkID: [NodeAddress]] = [:]
    private var requests: [ChunkID: Request] = [:]
    private var arrived: Set<ChunkID> = []
    /// The chunks received, in arrival order, with the peer that sent each.
    package private(set) var arrivals: [(chunk: ChunkID, from: NodeAddress)] = []
    private var asked: Set<ChunkID>
    private var lastActivity: NIODeadline = .uptimeNanoseconds(0)
    private var helloSentAt: NIODeadline = .uptimeNanoseconds(0)
    private var hellosSent = 0

    package init(configuration: ClientConfiguration) {
        self.configuration = configuration
        self.asked = Set(configuration.chunks)
    }

    /// Starts the exchange: the HELLO to the contact peer.
    package mutating func start(at now: NIODeadline) -> [Outgoing] {
        lastActivity = now
        helloSentAt = now
        hellosSent = 1
        return [Outgoing(.hello(chunks: configuration.chunks), to: configuration.contact)]
    }

    /// Reacts to one decoded message from `sender`.
    package mutating func receive(_ message: ChunkMessage, from sender: NodeAddress, at now: NIODeadline)
        -> ClientReaction
    {
        lastActivity = now
        switch message {
        case .chunkInfo(let chunks):
            var newlyAsked = [ChunkID]()
            for chunk in chunks where asked.contains(chunk) {
                var list = announcers[chunk, default: []]
                guard !list.contains(sender) else { continue }
                list.append(sender)
                announcers[chunk] = list
                if requests[chunk] == nil && !arrived.contains(chunk) && !newlyAsked.contains(chunk) {
                    newlyAsked.append(chunk)
                    requests[chunk] = Request(peer: sender, sentAt: now, attempts: 1, askedOf: [sender])
                }
            }
            guard !newlyAsked.isEmpty else { return ClientReaction() }
            return ClientReaction(sends: [Outgoing(.get(chunks: newlyAsked), to: sender)])
        case .response(let chunk, let payload):
            guard let request = requests[chunk], request.askedOf.contains(sender) else {
                return ClientReaction(dropped: .unrequested(chunk: chunk))
            }
            guard !arrived.contains(chunk) else { return ClientReaction(dropped: .duplicate(chunk: chunk)) }
            arrived.insert(chunk)
            arrivals.append((chunk, sender))
            return ClientReaction(saved: [SavedChunk(chunk: chunk, payload: payload, from: sender)])
        case .hello, .query, .get:
            return ClientReaction(dropped: .unexpected(message.type))
        }
    }

    /// Re-sends the GETs and the HELLO that are due at `now`: every send it returns is a retry.
    package mutating func tick(at now: NIODeadline) -> ClientReaction {
        var byPeer: [(NodeAddress, [ChunkID])] = []
        for chunk in configuration.chunks {
            guard var request = requests[chunk], !arrived.contains(chunk),
                request.attempts <= configuration.maxRetries,
                now >= request.sentAt + configuration.retryInterval
            else { continue }
            let candidates = announcers[chunk] ?? [request.peer]
            let next = candidates[(candidates.firstIndex(of: request.peer).map { $0 + 1 } ?? 0) % candidates.count]
            request.peer = next
            request.sentAt = now
            request.attempts += 1
            request.askedOf.insert(next)
            requests[chunk] = request
            if let index = byPeer.firstIndex(where: { $0.0 == next }) {
                byPeer[index].1.append(chunk)
            } else {
                byPeer.append((next, [chunk]))
            }
        }
        var reaction = ClientReaction(sends: byPeer.map { Outgoing(.get(chunks: $0.1), to: $0.0) })
        if hellosSent <= configuration.helloRetries, now >= helloSentAt + configuration.helloRetryInterval,
            configuration.chunks.contains(where: { announcers[$0] == nil })
        {
            hellosSent += 1
            helloSentAt = now
            reaction.sends.append(Outgoing(.hello(chunks: configuration.chunks), to: configuration.contact))
        }
        return reaction
    }

    /// Every asked chunk has arrived.
    package var isComplete: Bool { arrived.count == configuration.chunks.count }

    /// The client has heard nothing for the inactivity timeout.
    package func hasTimedOut(at now: NIODeadline) -> Bool {
        now >= lastActivity + configuration.inactivityTimeout
    }

    /// The asked chunks that have not arrived, in request order.
    package var missing: [ChunkID] { configuration.chunks.filter { !arrived.contains($0) } }

    /// The lines of `output-<ip>.log`: arrivals in order, then `0.0.0.0:0 - <id>` per missing chunk.
    package var logLines: [String] {
        arrivals.map { "\($0.from) - \($0.chunk)" } + missing.map { "\(NodeAddress.unspecified) - \($0)" }
    }
}

/// A chunk the client accepted and must save.
package struct SavedChunk: Sendable, Hashable {
    package var chunk: ChunkID
    package var payload: ByteBuffer
    package var from: NodeAddress

    package init(chunk: ChunkID, payload: ByteBuffer, from: NodeAddress) {
        self.chunk = chunk
        self.payload = payload
        self.from = from
    }
}

/// What a client does about one message or one tick.
package struct ClientReaction: Sendable {
    package var sends: [Outgoing] = []
    package var saved: [SavedChunk] = []
    package var dropped: DropReason?

    package init(sends: [Outgoing] = [], saved: [SavedChunk] = [], dropped: DropReason? = nil) {
        self.sends = sends
        self.saved = saved
        self.dropped = dropped
    }
}
