/// Everything replay rebuilt from a trace set.
public struct ReplayReport: Sendable, Hashable {
    /// Groups of traces close in time, each one experiment; floods never cross sessions.
    public var sessions: [ReplaySession]
    /// Every flood, in time order.
    public var floods: [Flood]
    /// What replay noticed and could not use, in words.
    public var warnings: [String]
}

/// One group of node traces that overlap in time.
public struct ReplaySession: Sendable, Hashable {
    /// 1-based.
    public var index: Int
    /// First and last event, microseconds since the Unix epoch.
    public var start: Int64
    public var end: Int64
    /// Every node with a trace in this session.
    public var nodes: [ReplayNode]
    /// Run ids, in order of first event.
    public var runs: [String]
}

/// A traced node as its `start` event describes it.
public struct ReplayNode: Sendable, Hashable {
    public var address: String
    public var role: String
    public var runs: [String]
    /// A peer's neighbours (from its `start` event).
    public var neighbors: [String]
    /// The chunks a peer holds.
    public var held: [UInt16]
    /// A client's contact peer.
    public var contact: String?
    public var firstEvent: Int64
    public var lastEvent: Int64
    public var events: Int
}
