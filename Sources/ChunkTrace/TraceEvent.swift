/// One line of a trace: something a node sent, received, dropped or decided.
///
/// The JSON keys appear in the order of the stored properties below; keys whose value is `nil`
/// are left out. See DESIGN.md, section Traces.
package struct TraceEvent: Sendable, Hashable {
    /// `v`: the schema version.
    package var version: Int
    /// `ts`: wall-clock time in microseconds since the Unix epoch, written as RFC 3339 UTC with microseconds.
    package var timestamp: Int64
    /// `node`: this node's `ip:port`.
    package var node: String
    /// `role`: `peer` or `client`.
    package var role: TraceRole
    /// `run`: an id chosen at start-up, different every run.
    package var run: String
    /// `seq`: this run's event counter, from 1, without gaps.
    package var seq: UInt64
    /// `ev`: what happened.
    package var kind: TraceEventKind
    /// `msg`: the message type of a message event.
    package var message: TraceMessageType?
    /// `from`: the sender of a received or dropped datagram, or the peer a saved chunk came from.
    package var from: String?
    /// `to`: the destination of a sent datagram.
    package var to: String?
    /// `bytes`: the datagram length.
    package var bytes: Int?
    /// `chunks`: the chunk ids; for a response, its one id.
    package var chunks: [UInt16]?
    /// `size`: a response's payload size.
    package var size: Int?
    /// `client`: the client address a query carries.
    package var client: String?
    /// `ttl`: a query's ttl.
    package var ttl: Int?
    /// `cause`: for a send, the `seq` of the receive that caused it.
    package var cause: UInt64?
    /// `reason`: why a datagram was dropped, or why a client ended.
    package var reason: String?
    /// `head`: the first bytes of a dropped datagram, in lower-case hex.
    package var head: String?
    /// `neighbors`: on `start`, a peer's neighbours.
    package var neighbors: [String]?
    /// `held`: on `start`, the chunks a peer holds.
    package var held: [UInt16]?
    /// `contact`: on a client's `start`, its contact peer.
    package var contact: String?
    /// `software`: on `start`, the program version.
    package var software: String?

    package init(
        version: Int = 1, timestamp: Int64, node: String, role: TraceRole, run: String, seq: UInt64,
        kind: TraceEventKind, message: TraceMessageType? = nil, from: String? = nil, to: String? = nil,
        bytes: Int? = nil, chunks: [UInt16]? = nil, size: Int? = nil, client: String? = nil, ttl: Int? = nil,
        cause: UInt64? = nil, reason: String? = nil, head: String? = nil, neighbors: [String]? = nil,
        held: [UInt16]? = nil, contact: String? = nil, software: String? = nil
    ) {
        self.version = version
        self.timestamp = timestamp
        self.node = node
        self.role = role
        self.run = run
        self.seq = seq
        self.kind = kind
        self.message = message
        self.from = from
        self.to = to
        self.bytes = bytes
        self.chunks = chunks
        self.size = size
        self.client = client
        self.ttl = ttl
        self.cause = cause
        self.reason = reason
        self.head = head
        self.neighbors = neighbors
        self.held = held
        self.contact = contact
        self.software = software
    }
}

/// `role` of a trace event.
package enum TraceRole: String, Sendable, Hashable, CaseIterable {
    case peer
    case client
}

/// `ev` of a trace event.
package enum TraceEventKind: String, Sendable, Hashable, CaseIterable {
    case send, recv, drop, start, stop
    /// Client: a chunk was written to disk.
    case saved
    /// Client: an asked chunk never arrived.
    case missing
    /// Client: it ended on the inactivity timeout.
    case timeout
    /// Client: it ended (always its last event).
    case done
    /// Client: a GET was re-sent after no answer.
    case retry
}

/// `msg` of a message event.
package enum TraceMessageType: String, Sendable, Hashable, CaseIterable {
    case hello, query
    case chunkInfo = "chunk_info"
    case get, response
}
