import Testing

@testable import FloodReplay

@Suite("replay --follow: each flood once, when it is complete")
struct FloodFollowerTests {
    @Test("a flood is handed out once it has been quiet for the settle time, and never again")
    func onceWhenQuiet() throws {
        let report = FloodReplayer().replay(events: FloodReplayerTests.courseRun().events)
        let flood = try #require(report.floods.first)
        let end = flood.start + FloodFollower.lastOffset(of: flood)
        var follower = FloodFollower(settle: 2_000_000)
        #expect(follower.newlyComplete(in: report.floods, now: end + 1_000_000).isEmpty)
        #expect(follower.newlyComplete(in: report.floods, now: end + 2_000_000).map(\.start) == [flood.start])
        #expect(follower.newlyComplete(in: report.floods, now: end + 9_000_000).isEmpty)
    }

    @Test("re-reading a growing set hands out the first flood, then only the second")
    func growingSet() throws {
        let simulator = FloodReplayerTests.courseRun()
        let firstOnly = FloodReplayer().replay(events: simulator.events)
        simulator.advance(by: 5_000_000)
        simulator.startClient("10.0.0.7:40001", contact: FloodReplayerTests.p1, chunks: [5, 6, 7])
        simulator.run()
        let both = FloodReplayer().replay(events: simulator.events)
        try #require(both.floods.count == 2)
        let now = both.floods[1].start + 10_000_000
        var follower = FloodFollower()
        #expect(follower.newlyComplete(in: firstOnly.floods, now: now).map(\.client) == [FloodReplayerTests.client])
        #expect(follower.newlyComplete(in: both.floods, now: now).map(\.client) == ["10.0.0.7:40001"])
    }
}
