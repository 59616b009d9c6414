import ChunkMetrics
import ChunkNode
import NodeObservers

/// What the network view adds on the datagram path: a peer's observer with three configured neighbours handling a
/// GET received from a client (message and per-neighbour counters, the `other` row), a QUERY sent to a neighbour
/// (the same, found by address) and a QUERY received (plus the duplicate check), in nanoseconds per event, single
/// thread. The messages are built before the clock starts.
enum NetworkViewCost {
    static func measure(events: Int) -> (getNanos: Double, sentNanos: Double, receivedNanos: Double) {
        let neighbors = (2...4).map { NodeAddress(ip: 0x0A00_0000 + UInt32($0), port: UInt16(5000 + $0)) }
        let metrics = NodeMetrics(
            role: .peer, version: "bench", dropReasons: DropReason.allLabels, node: "10.0.0.1:5001",
            neighbors: neighbors.map(\.description))
        let observer = MetricsObserver(metrics: metrics, neighbors: neighbors)
        let client = NodeAddress(ip: 0x0A00_0006, port: 40000)
        let get = ChunkMessage.get(chunks: [1])
        // A new flood every 4th QUERY (its client port), so both the new and the duplicate paths are taken.
        let queries = (0..<1024).map {
            ChunkMessage.query(
                client: NodeAddress(ip: client.ip, port: UInt16($0 / 4)), ttl: 2, chunks: [1, 3, 4, 5, 9])
        }
        func time(_ body: (Int) -> Void) -> Double {
            let start = BlockingSocket.monotonicSeconds()
            for index in 0..<events { body(index) }
            return (BlockingSocket.monotonicSeconds() - start) / Double(events) * 1e9
        }
        let getNanos = time { index in
            observer.observe(.received(get, from: client, bytes: 6), seq: UInt64(index), timestamp: Int64(index))
        }
        let sentNanos = time { index in
            observer.observe(
                .sent(queries[0], to: neighbors[index % 3], bytes: 22, cause: UInt64(index)), seq: UInt64(index),
                timestamp: Int64(index))
        }
        let receivedNanos = time { index in
            observer.observe(
                .received(queries[index & 1023], from: neighbors[index % 3], bytes: 22), seq: UInt64(index),
                timestamp: Int64(index) * 100)
        }
        return (getNanos, sentNanos, receivedNanos)
    }
}
