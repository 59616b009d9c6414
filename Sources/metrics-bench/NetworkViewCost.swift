import ChunkMetrics
import ChunkNode
import NodeObservers

/// What the network view adds on the datagram path: a peer's observer with three configured neighbours handling a
/// QUERY sent to a neighbour (message counters plus the per-neighbour counter) and a QUERY received (plus the
/// duplicate check), in nanoseconds per event, single thread.
enum NetworkViewCost {
    static func measure(events: Int) -> (sentNanos: Double, receivedNanos: Double) {
        let neighbors = (2...4).map { NodeAddress(ip: 0x0A00_0000 + UInt32($0), port: UInt16(5000 + $0)) }
        let metrics = NodeMetrics(
            role: .peer, version: "bench", dropReasons: DropReason.allLabels, node: "10.0.0.1:5001",
            neighbors: neighbors.map(\.description))
        let observer = MetricsObserver(metrics: metrics, neighbors: neighbors)
        let client = NodeAddress(ip: 0x0A00_0006, port: 40000)
        let query = ChunkMessage.query(client: client, ttl: 2, chunks: [1, 3, 4, 5, 9])
        var start = BlockingSocket.monotonicSeconds()
        for index in 0..<events {
            observer.observe(
                .sent(query, to: neighbors[index % 3], bytes: 22, cause: UInt64(index)), seq: UInt64(index),
                timestamp: Int64(index))
        }
        let sent = (BlockingSocket.monotonicSeconds() - start) / Double(events) * 1e9
        start = BlockingSocket.monotonicSeconds()
        for index in 0..<events {
            // A new flood every 4th QUERY (its client port), so both the new and the duplicate paths are taken.
            let flood = ChunkMessage.query(
                client: NodeAddress(ip: client.ip, port: UInt16(truncatingIfNeeded: index / 4)), ttl: 2,
                chunks: [1, 3, 4, 5, 9])
            observer.observe(
                .received(flood, from: neighbors[index % 3], bytes: 22), seq: UInt64(index), timestamp: Int64(index))
        }
        let received = (BlockingSocket.monotonicSeconds() - start) / Double(events) * 1e9
        return (sent, received)
    }
}
