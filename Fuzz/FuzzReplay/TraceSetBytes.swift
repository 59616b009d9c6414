import ChunkTrace

/// Reads fuzzer bytes as a small trace set: five peers and a client on loopback, one event per 6-byte record.
enum TraceSetBytes {
    static let nodes = (1...5).map { "127.0.0.1:500\($0)" } + ["127.0.0.1:7320"]
    static let start: Int64 = 1_764_000_000_000_000

    /// Record bytes: node, kind and message, the other node, ttl and chunk, how many events back the cause is,
    /// milliseconds since the node's previous event (the top bit sets it 200 ms back: a skewed clock).
    static func events(_ input: UnsafeBufferPointer<UInt8>) -> [TraceEvent] {
        var seqs = Array(repeating: UInt64(0), count: nodes.count)
        var clocks = Array(repeating: start, count: nodes.count)
        var events: [TraceEvent] = []
        var offset = 0
        while offset + 6 <= input.count, events.count < 4096 {
            let record = input[offset..<offset + 6].map { Int($0) }
            offset += 6
            let node = record[0] % nodes.count
            seqs[node] += 1
            let step = Int64(record[5] & 0x7f) * 1000
            clocks[node] += record[5] & 0x80 == 0 ? step : -200_000 - step
            events.append(event(record, node: node, seq: seqs[node], time: clocks[node]))
        }
        return events
    }

    private static func event(_ record: [Int], node: Int, seq: UInt64, time: Int64) -> TraceEvent {
        let kinds = TraceEventKind.allCases
        let messages = TraceMessageType.allCases
        let kind = kinds[record[1] % kinds.count]
        let message = messages[(record[1] / kinds.count) % messages.count]
        let other = nodes[record[2] % nodes.count]
        let back = UInt64(record[4])
        var event = TraceEvent(
            timestamp: time, node: nodes[node], role: node == nodes.count - 1 ? .client : .peer, run: "run\(node)",
            seq: seq, kind: kind)
        switch kind {
        case .send, .recv, .drop:
            event.message = message
            if kind == .send { event.to = other } else { event.from = other }
            event.chunks = [UInt16(record[3] % 8)]
            event.client = message == .query ? nodes[nodes.count - 1] : nil
            event.ttl = message == .query ? record[3] % 5 : nil
            event.cause = kind == .send && back > 0 && back < seq ? seq - back : nil
            event.bytes = 6
        case .start:
            event.neighbors = [other]
            event.held = [UInt16(record[3] % 8)]
            event.contact = node == nodes.count - 1 ? other : nil
        case .saved, .missing:
            event.from = other
            event.chunks = [UInt16(record[3] % 8)]
        default:
            break
        }
        return event
    }
}
