import ChunkTrace

/// Orders events of many nodes into one timeline (`p2ptrace cat`).
public enum TraceMerger {
    /// `events` by time, then node, then seq: a stable total order.
    public static func timeOrdered(_ events: [TraceEvent]) -> [TraceEvent] {
        events.sorted {
            if $0.timestamp != $1.timestamp { return $0.timestamp < $1.timestamp }
            if $0.node != $1.node { return $0.node < $1.node }
            return $0.seq < $1.seq
        }
    }
}
