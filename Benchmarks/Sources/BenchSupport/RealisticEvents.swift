import ChunkTrace

/// A peer's mix of trace events, the same on every run: hellos, queries, chunk infos, gets and 1 KiB responses.
package enum RealisticEvents {
    /// Event number `seq` of the mix.
    package static func event(_ seq: UInt64) -> TraceEvent {
        var event = TraceEvent(
            timestamp: 1_795_624_092_123_456 + Int64(seq) * 37, node: "10.0.0.1:5001", role: .peer,
            run: "5f0c2a9e-3b1d-4c7e-9a3f-2d8e6b4c1a70", seq: seq, kind: .recv)
        let client = "10.0.0.\(6 + seq % 4):\(40000 + seq % 1000)"
        switch seq % 6 {
        case 0: (event.message, event.from, event.bytes, event.chunks) = (.hello, client, 14, [1, 3, 4, 5, 9])
        case 1:
            (event.kind, event.message, event.to, event.bytes) = (.send, .query, "10.0.0.3:5003", 22)
            event.chunks = [1, 3, 4, 5, 9]
            (event.client, event.ttl, event.cause) = (client, 3, seq - 1)
        case 2:
            (event.message, event.from, event.bytes, event.chunks) = (.query, "10.0.0.2:5002", 22, [1, 3, 4, 5, 9])
            (event.client, event.ttl) = (client, 2)
        case 3:
            (event.kind, event.message, event.to, event.bytes) = (.send, .chunkInfo, client, 6)
            (event.chunks, event.cause) = ([5], seq - 1)
        case 4: (event.message, event.from, event.bytes, event.chunks) = (.get, client, 6, [5])
        default:
            (event.kind, event.message, event.to, event.bytes, event.chunks) = (.send, .response, client, 1030, [5])
            (event.size, event.cause) = (1024, seq - 1)
        }
        return event
    }

    /// Events 1 through `count`.
    package static func events(_ count: Int) -> [TraceEvent] {
        (1...UInt64(max(count, 1))).map(event)
    }
}
