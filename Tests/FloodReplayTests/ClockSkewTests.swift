import ChunkTrace
import Testing

@testable import FloodReplay

@Suite("Clock skew: one node's clock shifted by ±50 ms is found and corrected")
struct ClockSkewTests {
    static func shifted(_ node: String, by micros: Int64) -> [TraceEvent] {
        FloodReplayerTests.courseRun().events.map { event in
            var event = event
            if event.node == node { event.timestamp += micros }
            return event
        }
    }

    @Test(
        "p3's clock +50 ms or -50 ms: only p3 is adjusted, by about that much, and receives follow their sends",
        arguments: [Int64(50_000), -50_000])
    func oneNodeShifted(by shift: Int64) throws {
        let p3 = FloodReplayerTests.p3
        let report = FloodReplayer().replay(events: Self.shifted(p3, by: shift))
        let adjustment = try #require(report.clockAdjustments.first)
        #expect(report.clockAdjustments.count == 1)
        #expect(adjustment.node == p3)
        #expect(abs(adjustment.offset - shift) < 1_000)
        #expect(report.warnings.contains { $0.hasPrefix("the clock of \(p3) is ") && $0.contains("--no-adjust") })

        let flood = try #require(report.floods.first)
        #expect(flood.clockAdjustments == [adjustment])
        let visit = try #require(flood.visits.first { $0.node == p3 })
        #expect(visit.offset >= (visit.sentOffset ?? 0))
        #expect(flood.rawOffset(visit.offset, at: p3) == visit.offset + adjustment.offset)
        let text = FloodTextRenderer.render(flood)
        #expect(text.contains("clock adjusted: \(p3) runs "))
        #expect(text.contains("[raw \(ReplayFormat.offset(visit.offset + adjustment.offset))] (clock adjusted)"))

        let unshifted = FloodReplayer().replay(events: FloodReplayerTests.courseRun().events).floods.first
        #expect(visit.offset == unshifted?.visits.first { $0.node == p3 }?.offset)
    }

    @Test("--no-adjust keeps the raw times; clocks in step are never adjusted")
    func noAdjust() throws {
        let shifted = Self.shifted(FloodReplayerTests.p3, by: 50_000)
        let raw = FloodReplayer(adjustClocks: false).replay(events: shifted)
        #expect(raw.clockAdjustments.isEmpty)
        let visit = try #require(raw.floods.first?.visits.first { $0.node == FloodReplayerTests.p3 })
        #expect(visit.offset > 50_000)
        #expect(FloodReplayer().replay(events: FloodReplayerTests.courseRun().events).clockAdjustments.isEmpty)
    }
}
