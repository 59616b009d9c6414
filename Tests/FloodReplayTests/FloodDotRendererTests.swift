import Testing

@testable import FloodReplay

@Suite("DOT: answers on demand, lost datagrams drawn from their sender")
struct FloodDotRendererTests {
    @Test("a RESPONSE a peer sent and the client never got is drawn from that peer, not from the client")
    func lostResponseComesFromThePeer() throws {
        var dropped = false
        let simulator = FloodReplayerTests.courseRun { simulator in
            simulator.drops = { message, from, _ in
                guard case .response = message, from.description == FloodReplayerTests.p1, !dropped else {
                    return false
                }
                dropped = true
                return true
            }
        }
        let flood = try #require(FloodReplayer().replay(events: simulator.events).floods.first)
        let lost = try #require(flood.lost.firstIndex { $0.message == .response })
        #expect(flood.lost[lost].from == FloodReplayerTests.p1)
        let p1 = try #require(flood.visits.first { $0.node == FloodReplayerTests.p1 })
        let dot = FloodDotRenderer.render([flood])
        #expect(dot.contains("f1_v\(p1.id) -> f1_lost\(lost) [label=\"RESPONSE\""))
        #expect(!dot.contains("f1_client -> f1_lost\(lost) "))
    }

    @Test("--answers edges draws each CHUNK_INFO, summary counts them in the client's note, none leaves them out")
    func answers() throws {
        let floods = FloodRendererTests.report.floods
        let edges = FloodDotRenderer.render(floods, answers: .edges)
        #expect(edges.components(separatedBy: "label=\"CHUNK_INFO ").count - 1 == 5)
        let summary = FloodDotRenderer.render(floods, answers: .summary)
        #expect(!summary.contains("label=\"CHUNK_INFO "))
        #expect(
            summary.contains(
                "\\nCHUNK_INFO: 5 from 4 peers (10.0.0.1:5001, 10.0.0.2:5002, 10.0.0.3:5003, 10.0.0.5:5005)"))
        let none = FloodDotRenderer.render(floods, answers: .none)
        #expect(!none.contains("CHUNK_INFO"))
        #expect(none.contains("f1_v0 -> f1_v1 "))
    }
}
