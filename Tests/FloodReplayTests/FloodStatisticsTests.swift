import Foundation
import Testing

@testable import FloodReplay

/// `p2ptrace stats --floods` rows of the course network, simulated with the real peer and client drivers.
@Suite("Flood statistics: one row per flood")
struct FloodStatisticsTests {
    /// p4 asks 1,3,4,5,9 and re-sends its HELLO once, a second later.
    static func retriedFlood() -> [FloodStatistics] {
        let simulator = NetworkSimulator.course()
        simulator.startClient("10.0.0.6:40000", contact: "10.0.0.4:5004", chunks: [1, 3, 4, 5, 9], helloRetries: 1)
        simulator.run(finish: false)
        simulator.advance(by: 1_100_000)
        simulator.run()
        return FloodStatistics.rows(FloodReplayer().replay(events: simulator.events).floods)
    }

    @Test("a HELLO retry has its own row naming the flood it repeats, whose row holds the chunks found and missing")
    func retryRow() throws {
        let rows = Self.retriedFlood()
        try #require(rows.count == 2)
        #expect(rows[0].retryOf == nil && rows[0].chunksFound == 4 && rows[0].chunksMissing == 1)
        #expect(rows[1].retryOf == 1 && rows[1].chunksFound == nil && rows[1].chunksMissing == nil)
        #expect(rows.allSatisfy { $0.queryMessages == 5 && $0.peersReached == 5 && $0.coverage == 1 })
        let lines = FloodStatisticsRenderer.csv(rows).split(separator: "\r\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let header = lines[0]
        let found = try #require(header.firstIndex(of: "chunks_found"))
        let retry = try #require(header.firstIndex(of: "retry_of"))
        #expect(lines[1][found] == "4" && lines[1][retry] == "")
        #expect(lines[2][found] == "" && lines[2][retry] == "1")
        let json = FloodStatisticsRenderer.json(rows)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let floods = try #require(document["floods"] as? [[String: Any]])
        #expect(floods[1]["chunks_found"] is NSNull && floods[1]["retry_of"] as? Int == 1)
    }

    @Test("coverage has four decimals; a cell holding a comma or a quote is quoted as RFC 4180 says")
    func cells() throws {
        var row = try #require(Self.retriedFlood().first)
        row.peersReached = 1
        row.peersTraced = 3
        row.client = "client \"a\", 1"
        let line = FloodStatisticsRenderer.csv([row]).split(separator: "\r\n")[1]
        #expect(line.contains(",\"client \"\"a\"\", 1\","))
        #expect(line.contains(",0.3333,"))
        #expect(FloodStatisticsRenderer.json([row]).contains("\"coverage\":0.3333,"))
    }
}
