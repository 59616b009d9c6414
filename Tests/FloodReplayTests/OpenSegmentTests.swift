import ChunkTrace
import Testing

@testable import FloodReplay

@Suite("Live trace sets: a segment still being written is open, not cut off")
struct OpenSegmentTests {
    @Test("a node's newest segment without its end, written just now, is open; a minute later it is cut off")
    func openThenCutOff() throws {
        let folder = try TraceFolder()
        let writer = TraceSegmentWriter(directory: folder.path, role: .peer, node: "10.0.0.1:5001")
        let events = FloodReplayerTests.courseRun().events.filter { $0.node == "10.0.0.1:5001" }
        for event in events { writer.record(event) }
        writer.flush()
        let segment = try #require(try folder.segments().first)
        let now = ReplayClock.micros() / 1_000_000

        let live = try TraceSet.load(paths: [folder.path], now: now)
        #expect(live.openFiles == [segment])
        #expect(live.read.truncatedFiles.isEmpty)
        #expect(!live.readProblems.joined().contains("cut off"))
        #expect(live.readProblems.contains { $0.contains("1 segment still being written") })
        #expect(live.index.count == events.count)

        let later = try TraceSet.load(paths: [folder.path], now: now + 60)
        #expect(later.openFiles.isEmpty)
        #expect(later.read.truncatedFiles == [segment])
        #expect(later.readProblems.joined().contains("cut off"))
        writer.finish()
    }
}
