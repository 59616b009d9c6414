import ChunkTrace

/// Merges the events of many nodes into one timeline of JSON lines (`p2ptrace cat`).
///
/// Each event is encoded as it is added and kept as bytes in one arena, so merging a million events needs about
/// the size of their JSON text, not of a million decoded events.
package struct TraceMerger: Sendable {
    private struct Entry {
        var timestamp: Int64
        var seq: UInt64
        var node: Int32
        var start: Int
        var length: Int32
    }

    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    private var nodes: [String] = []
    private var nodeIDs: [String: Int32] = [:]
    private var lastNode: (name: String, id: Int32)?

    package init() {}

    package var count: Int { entries.count }

    /// Encodes and keeps one event.
    package mutating func add(_ event: TraceEvent) {
        let node: Int32
        if let last = lastNode, last.name == event.node {
            node = last.id
        } else if let id = nodeIDs[event.node] {
            node = id
        } else {
            node = Int32(nodes.count)
            nodes.append(event.node)
            nodeIDs[event.node] = node
        }
        lastNode = (event.node, node)
        let start = arena.count
        TraceLineEncoder.append(event, to: &arena)
        entries.append(
            Entry(
                timestamp: event.timestamp, seq: event.seq, node: node, start: start,
                length: Int32(arena.count - start)))
    }

    /// Writes every kept line to `out`, ordered by time, then node address, then seq.
    package func write(to out: ReplayOutputStream) {
        let rank = nodes.indices.sorted { nodes[$0] < nodes[$1] }
        var rankOf = [Int32](repeating: 0, count: nodes.count)
        for (position, id) in rank.enumerated() { rankOf[id] = Int32(position) }
        let order = entries.indices.sorted {
            let (a, b) = (entries[$0], entries[$1])
            if a.timestamp != b.timestamp { return a.timestamp < b.timestamp }
            if a.node != b.node { return rankOf[Int(a.node)] < rankOf[Int(b.node)] }
            return a.seq < b.seq
        }
        arena.withUnsafeBufferPointer { bytes in
            for i in order {
                let entry = entries[i]
                out.append(
                    contentsOf: UnsafeBufferPointer(rebasing: bytes[entry.start..<(entry.start + Int(entry.length))]))
                out.flushIfFull()
            }
        }
    }

    /// `events` by time, then node, then seq: a stable total order.
    package static func timeOrdered(_ events: [TraceEvent]) -> [TraceEvent] {
        events.sorted {
            if $0.timestamp != $1.timestamp { return $0.timestamp < $1.timestamp }
            if $0.node != $1.node { return $0.node < $1.node }
            return $0.seq < $1.seq
        }
    }
}
