import ChunkTrace
import Foundation
import TestSupport
import Testing

@testable import FloodReplay

@Suite("HTML page in headless Chromium: graph by hop, sequence diagram, legend")
struct FloodHTMLRendererTests {
    /// A flood over `count` peers in a ternary tree: peer i gets the query from peer (i − 1) / 3; leaves answer.
    static func treeFlood(peers count: Int) -> [TraceEvent] {
        let client = "10.8.0.1:40000"
        let start: Int64 = 1_800_000_000_000_000
        var events = [
            TraceEvent(
                timestamp: start, node: DeepFlood.peer(0), role: .peer, run: "r0", seq: 1, kind: .recv,
                message: .hello, from: client, chunks: [7])
        ]
        var seq = [Int: UInt64](uniqueKeysWithValues: (0..<count).map { ($0, 1) })
        var received = [0: (seq: UInt64(1), time: start, hop: 0)]
        for i in 1..<count {
            let parent = (i - 1) / 3
            let (cause, time, hop) = try! #require(received[parent])
            seq[parent, default: 1] += 1
            events.append(
                TraceEvent(
                    timestamp: time + 10, node: DeepFlood.peer(parent), role: .peer, run: "r\(parent)",
                    seq: seq[parent]!, kind: .send, message: .query, to: DeepFlood.peer(i), chunks: [7],
                    client: client, ttl: 9 - hop, cause: cause))
            events.append(
                TraceEvent(
                    timestamp: time + 100, node: DeepFlood.peer(i), role: .peer, run: "r\(i)", seq: 1, kind: .recv,
                    message: .query, from: DeepFlood.peer(parent), chunks: [7], client: client, ttl: 9 - hop))
            received[i] = (1, time + 100, hop + 1)
        }
        return events
    }

    static func dom(_ report: ReplayReport) async throws -> String {
        let folder = try TraceFolder()
        let page = folder.url.appendingPathComponent("replay.html")
        try FloodHTMLRenderer.render(report, floods: report.floods).write(to: page, atomically: false, encoding: .utf8)
        let arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(folder.path)/chromium",
            "--window-size=1400,1000", "--dump-dom", page.absoluteString,
        ]
        return try await ProcessRunner.run("/usr/bin/chromium", arguments, timeoutSeconds: 120).stdout
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// The arrows the sequence diagram must draw: what the JSON says was sent.
    static func messages(_ flood: Flood) -> Int {
        let hello = flood.visits.first.map { $0.untracedContact ? 0 : 1 } ?? 0
        let queries = flood.visits.filter { $0.parent != nil || $0.hop > 0 }.count
        return hello + queries + flood.answers.count + flood.deliveries.count + flood.lost.count
    }

    func check(_ report: ReplayReport, nodes: Int) async throws {
        let flood = try #require(report.floods.first)
        let dom = try await Self.dom(report)
        #expect(dom.contains("data-state=\"ready\""), "the page's script did not finish")
        #expect(dom.contains("data-overlaps=\"0\""), "node labels overlap")
        #expect(Self.count("<g class=\"node", in: dom) == nodes)
        #expect(Self.count("<line class=\"arrow ", in: dom) == Self.messages(flood))
        for visit in flood.visits {
            #expect(dom.contains(">\(visit.node)</text>"), "\(visit.node) has no label")
            #expect(dom.contains("data-lane=\"\(visit.node)\""), "\(visit.node) has no lane")
        }
        #expect(dom.contains(">hop \(flood.summary.depth)</text>"))
        #expect(dom.contains("Legend") && dom.contains("chunk source"))
    }

    @Test("the course flood: 5 peers and the client, every message an arrow, labels apart")
    func course() async throws {
        try await check(FloodRendererTests.report, nodes: 6)
    }

    @Test("200 peers: one node and one lane each, wrapped hop columns, no overlapping labels")
    func twoHundredPeers() async throws {
        let report = FloodReplayer().replay(events: Self.treeFlood(peers: 200))
        try #require(report.floods.first?.visits.count == 200)
        try await check(report, nodes: 201)
    }
}
