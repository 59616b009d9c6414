import ChunkTrace
import Foundation
import Testing

@testable import FloodReplay

/// A crafted trace set (replay reads untrusted files): one flood that runs down a chain of `hops + 1` peers.
enum DeepFlood {
    static let client = "10.9.0.1:40000"

    static func peer(_ i: Int) -> String { "10.\(100 + i / 65_536).\(i / 256 % 256).\(i % 256):5000" }

    /// The events: the contact peer receives the HELLO, every peer forwards the query to the next one with one
    /// ttl less, from `hops` down to 1 at the last peer.
    static func events(hops: Int, start: Int64 = 1_800_000_000_000_000) -> [TraceEvent] {
        var events: [TraceEvent] = []
        events.reserveCapacity(2 * hops + 2)
        events.append(
            TraceEvent(
                timestamp: start, node: peer(0), role: .peer, run: "r0", seq: 1, kind: .recv, message: .hello,
                from: client, chunks: [7]))
        for i in 0..<hops {
            let sent = start + Int64(2 * i + 1)
            events.append(
                TraceEvent(
                    timestamp: sent, node: peer(i), role: .peer, run: "r\(i)", seq: 2, kind: .send, message: .query,
                    to: peer(i + 1), chunks: [7], client: client, ttl: hops - i, cause: 1))
            events.append(
                TraceEvent(
                    timestamp: sent + 1, node: peer(i + 1), role: .peer, run: "r\(i + 1)", seq: 1, kind: .recv,
                    message: .query, from: peer(i), chunks: [7], client: client, ttl: hops - i))
        }
        return events
    }
}

@Suite("A flood 100,000 hops deep renders in every format")
struct DeepFloodTests {
    static let hops = 100_000

    @Test("read from a generated trace file, replayed and rendered as text, JSON, DOT and HTML without recursion")
    func everyFormat() throws {
        let folder = try TraceFolder()
        var bytes: [UInt8] = []
        for event in DeepFlood.events(hops: Self.hops) { TraceLineEncoder.append(event, to: &bytes) }
        try Data(bytes).write(to: folder.url.appendingPathComponent("crafted.jsonl"))
        let set = try TraceSet.load(paths: [folder.path])
        let report = FloodReplayer().replay(set.index)
        let flood = try #require(report.floods.first)
        #expect(report.floods.count == 1)
        #expect(flood.visits.count == Self.hops + 1)
        #expect(flood.summary.depth == Self.hops)
        #expect(flood.visits.last?.expired == true)

        let lines = FloodTextRenderer.render(report.floods).split(separator: "\n")
        #expect(lines.contains { $0.contains("\(DeepFlood.peer(Self.hops))  hop \(Self.hops)  ttl 1") })
        let widest = lines.map(\.count).max() ?? 0
        #expect(widest < 4 + 3 * FloodTextRenderer.maxIndentedLevels + 120)

        let json = FloodJSONRenderer.render(report, floods: report.floods)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let visits = try #require((document["floods"] as? [[String: Any]])?.first?["visits"] as? [[String: Any]])
        #expect(visits.count == Self.hops + 1)

        let dot = FloodDotRenderer.render(report.floods)
        #expect(dot.contains("f1_v\(Self.hops - 1) -> f1_v\(Self.hops) "))
        let html = FloodHTMLRenderer.render(report, floods: report.floods)
        #expect(html.hasSuffix("</html>\n") && html.contains(DeepFlood.peer(Self.hops)))
    }

    @Test("queries whose sender is untraced get their hop from the ttls seen in the set, not a fixed ttl of 3")
    func orphanHopsFollowTheObservedTTL() throws {
        let events = DeepFlood.events(hops: 6).filter { $0.node != DeepFlood.peer(2) }
        let report = FloodReplayer().replay(events: events)
        let orphan = try #require(report.floods.flatMap(\.visits).first { $0.node == DeepFlood.peer(3) })
        #expect(orphan.senderUntraced && orphan.ttl == 4)
        #expect(orphan.hop == 3)
    }
}
