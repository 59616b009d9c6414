import TestSupport

@testable import ChunkTrace

/// Trace events for tests: fixed samples, realistic traffic and random ones.
enum SampleEvents {
    /// 2026-11-25T16:28:12.123456Z.
    static let timestamp: Int64 = 1_795_624_092_123_456

    static func querySend(seq: UInt64 = 7) -> TraceEvent {
        TraceEvent(
            timestamp: timestamp, node: "127.0.0.1:5001", role: .peer, run: "r1", seq: seq, kind: .send,
            message: .query, to: "127.0.0.1:5002", bytes: 18, chunks: [1, 2, 3], client: "127.0.0.1:7320", ttl: 2,
            cause: 6)
    }

    /// A peer's mix of events: hellos, queries, chunk infos, gets and 1 KiB responses, with realistic fields.
    static func realistic(
        seq: UInt64, node: String = "10.0.0.1:5001", run: String = "5f0c2a9e-3b1d-4c7e-9a3f-2d8e6b4c1a70"
    )
        -> TraceEvent
    {
        var event = TraceEvent(
            timestamp: timestamp + Int64(seq) * 37, node: node, role: .peer, run: run, seq: seq, kind: .recv)
        let client = "10.0.0.\(6 + seq % 4):\(40000 + seq % 1000)"
        switch seq % 6 {
        case 0:
            event.message = .hello
            event.from = client
            event.bytes = 14
            event.chunks = [1, 3, 4, 5, 9]
        case 1:
            event.kind = .send
            event.message = .query
            event.to = "10.0.0.3:5003"
            event.bytes = 22
            event.chunks = [1, 3, 4, 5, 9]
            event.client = client
            event.ttl = 3
            event.cause = seq - 1
        case 2:
            event.message = .query
            event.from = "10.0.0.2:5002"
            event.bytes = 22
            event.chunks = [1, 3, 4, 5, 9]
            event.client = client
            event.ttl = 2
        case 3:
            event.kind = .send
            event.message = .chunkInfo
            event.to = client
            event.bytes = 6
            event.chunks = [5]
            event.cause = seq - 1
        case 4:
            event.message = .get
            event.from = client
            event.bytes = 6
            event.chunks = [5]
        default:
            event.kind = .send
            event.message = .response
            event.to = client
            event.bytes = 1030
            event.chunks = [5]
            event.size = 1024
            event.cause = seq - 1
        }
        return event
    }

    static func random(seq: UInt64, using rng: inout SeededGenerator) -> TraceEvent {
        func maybe<T>(_ make: () -> T) -> T? { rng.next() % 2 == 0 ? make() : nil }
        var event = TraceEvent(
            version: Int(rng.next() % 3) + 1,
            timestamp: Int64(rng.next() % 253_402_300_800_000_000),
            node: randomString(&rng), role: rng.next() % 2 == 0 ? .peer : .client, run: randomString(&rng),
            seq: seq, kind: TraceEventKind.allCases[Int(rng.next() % UInt64(TraceEventKind.allCases.count))])
        event.message = maybe { TraceMessageType.allCases[Int(rng.next() % 5)] }
        event.from = maybe { randomString(&rng) }
        event.to = maybe { randomString(&rng) }
        event.bytes = maybe { Int(rng.next() % 70_000) }
        event.chunks = maybe { (0..<Int(rng.next() % 6)).map { _ in UInt16(truncatingIfNeeded: rng.next()) } }
        event.size = maybe { Int(rng.next() % 65_502) }
        event.client = maybe { randomString(&rng) }
        event.ttl = maybe { Int(rng.next() % 5) - 1 }
        event.cause = maybe { rng.next() }
        event.reason = maybe { randomString(&rng) }
        event.head = maybe { randomString(&rng) }
        event.neighbors = maybe { (0..<Int(rng.next() % 4)).map { _ in randomString(&rng) } }
        event.held = maybe { (0..<Int(rng.next() % 6)).map { _ in UInt16(truncatingIfNeeded: rng.next()) } }
        event.contact = maybe { randomString(&rng) }
        event.software = maybe { randomString(&rng) }
        return event
    }

    /// Short and long strings with quotes, backslashes, control characters and non-ASCII text.
    static func randomString(_ rng: inout SeededGenerator) -> String {
        let pieces = [
            "a", "127.0.0.1:5001", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", "é", "😀",
            "\u{2028}", "/", " ", "run-5f0c2a9e-3b1d-4c7e-9a3f-2d8e6b4c1a70", "{}", "[1,2]", ":", ",",
        ]
        let count = Int(rng.next() % 6)
        return (0..<count).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
    }
}
