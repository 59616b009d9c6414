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
