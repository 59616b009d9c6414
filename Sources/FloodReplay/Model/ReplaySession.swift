/// One group of node traces that overlap in time.
package struct ReplaySession: Sendable, Hashable {
    /// 1-based.
    package var index: Int
    /// First and last event, microseconds since the Unix epoch.
    package var start: Int64
    package var end: Int64
    /// Every node with a trace in this session.
    package var nodes: [ReplayNode]
    /// Run ids, in order of first event.
    package var runs: [String]
}
