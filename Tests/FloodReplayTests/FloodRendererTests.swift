import ChunkTrace
import Foundation
import TestSupport
import Testing

@testable import FloodReplay

@Suite("Rendering floods as text, JSON, DOT and HTML")
struct FloodRendererTests {
    static let report = FloodReplayer().replay(events: FloodReplayerTests.courseRun().events)

    static func run(_ tool: String, _ arguments: [String], input: String) async throws -> (
        status: Int32, output: String
    ) {
        let result = try await ProcessRunner.run(tool, arguments, input: Array(input.utf8))
        return (result.status, result.stdout)
    }

    @Test("the text tree shows hops, ttls, the duplicate, expired queries, answers, sources and the summary")
    func text() throws {
        let text = FloodTextRenderer.render(Self.report.floods)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("    10.0.0.4:5004  hop 0  HELLO  +0.000 ms") })
        #expect(lines.contains { $0.hasPrefix("    └─ 10.0.0.5:5005  hop 1  ttl 3") && $0.hasSuffix("→ CHUNK_INFO 9") })
        #expect(lines.filter { $0.contains("10.0.0.1:5001  hop 3  ttl 1") && $0.contains("expired") }.count == 2)
        #expect(lines.filter { $0.contains("DUPLICATE (already reached via 10.0.0.") }.count == 1)
        #expect(lines.contains("    4  nobody had it"))
        #expect(lines.contains { $0.hasPrefix("    5  from 10.0.0.1:5001  arrived +") })
        #expect(
            lines.contains {
                $0.hasPrefix(
                    "  summary: peers reached 5 of 5 traced, 5 query messages, 1 duplicate, depth 3, 2 expired, 0 lost")
            })
        let list = FloodTextRenderer.list(Self.report.floods)
        #expect(list.hasPrefix("#1  session 1  "))
        #expect(list.contains("client 10.0.0.6:40000  contact 10.0.0.4:5004  asked 1,3,4,5,9  reached 5/5  chunks 4/5"))
    }

    @Test("the JSON document parses and carries the tree, answers, sources and summary under the documented keys")
    func json() throws {
        let text = FloodJSONRenderer.render(Self.report, floods: Self.report.floods)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(document["schema"] as? String == "p2ptrace-replay/1")
        let flood = try #require((document["floods"] as? [[String: Any]])?.first)
        let visits = try #require(flood["visits"] as? [[String: Any]])
        #expect(visits.count == 6)
        #expect(visits.first?["node"] as? String == "10.0.0.4:5004")
        #expect(visits.first?["ttl"] is NSNull)
        #expect(visits.compactMap { $0["duplicate_of"] as? Int }.count == 1)
        #expect(flood["not_found"] as? [Int] == [4])
        let summary = try #require(flood["summary"] as? [String: Any])
        #expect(summary["duplicates"] as? Int == 1 && summary["depth"] as? Int == 3)
        let session = try #require((document["sessions"] as? [[String: Any]])?.first)
        #expect((session["nodes"] as? [[String: Any]])?.count == 6)
    }

    @Test("JSON strings escape quotes, control characters, line separators and markup")
    func jsonEscaping() throws {
        let tricky = "a\"b\\c\nd\te\u{01}</script>&<\u{2028}é"
        var report = Self.report
        report.warnings = [tricky]
        let text = FloodJSONRenderer.render(report, floods: [])
        #expect(!text.contains("</script>"))
        #expect(!text.contains("\u{2028}"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(document["warnings"] as? [String] == [tricky])
    }

    @Test("the DOT graph renders with the real dot and shows every arrival, the duplicate dashed")
    func dot() async throws {
        let dot = FloodDotRenderer.render(Self.report.floods)
        let (status, svg) = try await Self.run("/usr/bin/dot", ["-Tsvg"], input: dot)
        #expect(status == 0)
        #expect(svg.contains("<svg"))
        for peer in ["10.0.0.1:5001", "10.0.0.2:5002", "10.0.0.3:5003", "10.0.0.4:5004", "10.0.0.5:5005"] {
            #expect(svg.contains(peer))
        }
        #expect(svg.contains("duplicate"))
        #expect(svg.contains("4: nobody had it"))
        #expect(dot.contains("style=\"rounded,filled,dashed\""))
    }

    @Test("a lost query shows in the DOT graph as a red edge to the node it never reached")
    func dotLost() async throws {
        let simulator = FloodReplayerTests.courseRun { $0.kill(FloodReplayerTests.p3, at: $0.now + 300) }
        let dot = FloodDotRenderer.render(FloodReplayer().replay(events: simulator.events).floods)
        #expect(dot.contains("✗ 10.0.0.3:5003"))
        #expect(try await Self.run("/usr/bin/dot", ["-Tsvg"], input: dot).status == 0)
    }

    @Test("floods rebuilt without a node's trace still render: untraced senders and contacts show dashed")
    func dotUntraced() async throws {
        for missing in [FloodReplayerTests.p5, FloodReplayerTests.p4] {
            let simulator = FloodReplayerTests.courseRun()
            simulator.forget(missing)
            let report = FloodReplayer().replay(events: simulator.events)
            let dot = FloodDotRenderer.render(report.floods)
            #expect(dot.contains("(no trace)"))
            let (status, svg) = try await Self.run("/usr/bin/dot", ["-Tsvg"], input: dot)
            #expect(status == 0)
            #expect(svg.contains(missing))
            let text = FloodTextRenderer.render(report.floods)
            #expect(text.contains("[no trace]") || text.contains("sender's send not traced"))
        }
    }

    @Test("the HTML page is self-contained and embeds the replay data and the animation script")
    func html() throws {
        let html = FloodHTMLRenderer.render(Self.report, floods: Self.report.floods)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("src="))
        #expect(!html.contains("<link"))
        #expect(!html.contains("https://"))
        let start = try #require(html.range(of: "<script id=\"replay-data\" type=\"application/json\">"))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let data = String(html[start.upperBound..<end.lowerBound])
        let document = try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any]
        #expect((document?["floods"] as? [Any])?.count == 1)
        #expect(html.contains("requestAnimationFrame"))
    }

    @Test("an in-memory stream and a file stream get the same bytes; an unwritable path is an error")
    func outputStream() throws {
        let folder = try TraceFolder()
        let path = folder.path + "/out.json"
        let file = try ReplayOutputStream(path: path)
        FloodJSONRenderer.render(Self.report, floods: Self.report.floods, to: file)
        try file.finish()
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written == FloodJSONRenderer.render(Self.report, floods: Self.report.floods))
        #expect(throws: ReplayError.self) { try ReplayOutputStream(path: folder.path + "/no/such/dir/out.json") }
    }
}
