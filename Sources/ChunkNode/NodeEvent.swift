/// Something a node did, handed to every `NodeObserver`: the seam where traces and metrics plug in.
package enum NodeEvent: Sendable {
    /// The node is up.
    case started(NodeStartInfo)
    /// A valid message arrived.
    case received(ChunkMessage, from: NodeAddress, bytes: Int)
    /// A QUERY arrived with a ttl above the peer's `--max-ttl` and was handled with `handledTTL`; `message` keeps the
    /// ttl received.
    case receivedClamped(ChunkMessage, from: NodeAddress, bytes: Int, handledTTL: UInt16)
    /// A message was sent; `cause` is the `seq` of the receive that caused it, if one did.
    case sent(ChunkMessage, to: NodeAddress, bytes: Int, cause: UInt64?)
    /// A message could not be sent: the kernel refused the datagram (`reason` is its error).
    case sendFailed(ChunkMessage, to: NodeAddress, bytes: Int, cause: UInt64?, reason: String)
    /// A datagram was refused. `head` is its first bytes.
    case dropped(DropReason, from: NodeAddress, bytes: Int, head: [UInt8])
    /// An answer was not sent: its destination is over the response budget. Recorded within a trace-line budget;
    /// every one is also noted as `NodeFact.rateLimited`.
    case rateLimited(ChunkMessage, to: NodeAddress, cause: UInt64?)
    /// This many rate-limited answers since the last `rateLimited` event were not recorded one by one.
    case rateLimitedUntraced(count: Int)
    /// A client re-sent a GET or HELLO.
    case retried(ChunkMessage, to: NodeAddress)
    /// A client saved a chunk it received from `from`.
    case saved(chunk: ChunkID, from: NodeAddress, size: Int)
    /// A client ends without this asked chunk.
    case missing(chunk: ChunkID)
    /// A client ends on its inactivity timeout.
    case timedOut
    /// A client is done (its last event).
    case done(received: Int, missing: Int)
    /// The node stops.
    case stopped(reason: String)
}

/// What a node records about itself when it starts.
package struct NodeStartInfo: Sendable, Hashable {
    package var neighbors: [NodeAddress]
    package var held: [ChunkID]
    package var contact: NodeAddress?
    package var software: String

    package init(neighbors: [NodeAddress] = [], held: [ChunkID] = [], contact: NodeAddress? = nil, software: String) {
        self.neighbors = neighbors
        self.held = held
        self.contact = contact
        self.software = software
    }
}

/// A fact about a message that only metrics count; it takes no `seq` and is not traced, since replay derives it
/// from the traced message itself.
package enum NodeFact: Sendable, Hashable {
    /// A peer's QUERY reached ttl 0 here and was not forwarded.
    case queryExpired
    /// A peer ignored this many GET ids it does not hold.
    case unknownChunksRequested(count: Int)
    /// An answer of this type was not sent: its destination is over the response budget.
    case rateLimited(MessageType)
    /// Seconds a node spent handling one datagram, from decode to the last send handed to the socket.
    case handled(MessageType, seconds: Double)
}

/// Receives every `NodeEvent` of a node, with its sequence number and wall-clock time.
///
/// Called on the thread that handles the node's datagrams: implementations must be quick and must not block.
package protocol NodeObserver: AnyObject, Sendable {
    func observe(_ event: NodeEvent, seq: UInt64, timestamp: Int64)
    func observe(_ fact: NodeFact)
    /// Whether `observe(_: NodeFact)` wants facts; `false` spares the node measuring them (default `true`).
    var takesFacts: Bool { get }
    /// The events until `endBurst` come from one read burst; an observer may hold them until then.
    func beginBurst()
    /// The burst is over: hand on whatever is held since `beginBurst`.
    func endBurst()
    /// The node is shutting down; flush what is buffered.
    func finish()
}

extension NodeObserver {
    package func observe(_ fact: NodeFact) {}
    package var takesFacts: Bool { true }
    package func beginBurst() {}
    package func endBurst() {}
    package func finish() {}
}
