import ChunkTrace
import Foundation
import Testing

@testable import FloodReplay

@Suite("Reading trace folders and checking them")
struct TraceSetTests {
    @Test("a course run written as real gzip segments replays to the same flood as the events themselves")
    func segmentsRoundTrip() throws {
        let simulator = FloodReplayerTests.courseRun()
        simulator.stopPeers()
        let folder = try TraceFolder()
        folder.write(simulator.events)
        #expect(try folder.segments().count == 6)
        let set = try TraceSet.load(paths: [folder.path])
        #expect(set.read.isComplete)
        #expect(set.index.count == simulator.events.count)
        let fromFiles = FloodReplayer().replay(set.index)
        let direct = FloodReplayer().replay(events: simulator.events)
        #expect(fromFiles.floods == direct.floods)
        #expect(TraceCheck(set.index).isClean)
    }

    @Test("a folder without trace files is an error that says what to give")
    func emptyFolder() throws {
        let folder = try TraceFolder()
        #expect(throws: ReplayError.noTraceFiles(paths: [folder.path])) { try TraceSet.load(paths: [folder.path]) }
        let message = ReplayError.noTraceFiles(paths: [folder.path]).description
        #expect(message.contains("--trace-dir"))
        #expect(throws: ReplayError.unreadable(path: folder.path + "/nope", reason: "no such file or folder")) {
            try TraceSet.load(paths: [folder.path + "/nope"])
        }
    }

    @Test("a segment cut in the middle is read up to the cut, reported, and the flood shows what it can")
    func truncatedSegment() throws {
        let simulator = FloodReplayerTests.courseRun()
        let folder = try TraceFolder()
        folder.write(simulator.events)
        let p5 = try #require(try folder.segments().first { $0.contains("10.0.0.5-5005") })
        let data = try Data(contentsOf: URL(fileURLWithPath: p5))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: p5))
        let set = try TraceSet.load(paths: [folder.path])
        #expect(set.read.truncatedFiles == [p5])
        #expect(!set.readProblems.isEmpty)
        let flood = try #require(FloodReplayer().replay(set.index).floods.first)
        #expect(flood.visits.first?.node == FloodReplayerTests.p4)
        let check = TraceCheck(set.index, truncatedFiles: set.read.truncatedFiles)
        #expect(check.findings.contains { $0.kind == .truncatedSegment })
    }

    @Test("check reports seq gaps, a missing beginning, runs without stop, untraced nodes and mixed sessions")
    func checkFindings() throws {
        var events = FloodReplayerTests.courseRun().events
        events.removeAll { $0.node == FloodReplayerTests.p3 }
        events.removeAll { $0.node == FloodReplayerTests.p2 && ($0.seq == 3 || $0.seq == 4) }
        events.removeAll { $0.node == FloodReplayerTests.p1 && $0.seq == 1 }
        let later = NetworkSimulator.course(startTime: 1_764_100_000_000_000, runSuffix: "-later")
        let check = TraceCheck(TraceIndex(events: events + later.events))
        let kinds = Set(check.findings.map(\.kind))
        #expect(kinds.isSuperset(of: [.seqGap, .missingBeginning, .noStop, .untracedNode, .severalSessions]))
        #expect(
            check.findings.contains {
                $0.kind == .seqGap && $0.node == FloodReplayerTests.p2 && $0.message.contains("seq 3…4")
            })
        #expect(check.findings.contains { $0.kind == .untracedNode && $0.node == FloodReplayerTests.p3 })
        #expect(!check.findings.contains { $0.kind == .untracedNode && $0.node == FloodReplayerTests.p4 })
        #expect(
            TraceCheck(TraceIndex(events: FloodReplayerTests.courseRun().events)).findings.map(\.kind).allSatisfy {
                $0 == .noStop
            })
    }

    @Test("stats count each message type sent and received per node")
    func statistics() throws {
        let statistics = TraceStatistics(TraceIndex(events: FloodReplayerTests.courseRun().events))
        let p5 = try #require(statistics.nodes.first { $0.node == FloodReplayerTests.p5 })
        #expect(p5.received["query"] == 1)
        #expect(p5.sent["query"] == 2)
        #expect(p5.sent["chunk_info"] == 1)
        let queries = try #require(statistics.messages.first { $0.message == "query" })
        #expect(queries.sent == 5 && queries.received == 5 && queries.matched == 5)
        #expect(statistics.text.contains("10.0.0.5:5005"))
        let json = try JSONSerialization.jsonObject(with: Data(statistics.json.utf8)) as? [String: Any]
        #expect(json?["events"] as? Int == statistics.events)
    }

    @Test("a flood is picked by index, client address or IP, and by the time it was in progress")
    func selection() throws {
        let simulator = NetworkSimulator.course()
        simulator.startClient(FloodReplayerTests.client, contact: FloodReplayerTests.p4, chunks: [1, 3, 4, 5, 9])
        simulator.run()
        simulator.startClient("10.0.0.7:40001", contact: FloodReplayerTests.p1, chunks: [5, 6, 7])
        simulator.run()
        let floods = FloodReplayer().replay(events: simulator.events).floods
        #expect(try FloodSelection(index: 2).apply(to: floods).map(\.client) == ["10.0.0.7:40001"])
        #expect(try FloodSelection(client: "10.0.0.6").apply(to: floods).map(\.index) == [1])
        #expect(try FloodSelection(time: floods[1].start + 5).apply(to: floods).map(\.index) == [2])
        #expect(try FloodSelection(time: floods[0].start - 5).apply(to: floods).map(\.index) == [1])
        #expect(throws: ReplayError.self) { try FloodSelection(client: "10.9.9.9").apply(to: floods) }
        let at = try FloodSelection.parseTime(ReplayFormat.timestamp(floods[1].start), reference: 0)
        #expect(at == floods[1].start)
        let timeOfDay = String(ReplayFormat.timestamp(floods[1].start).split(separator: "T")[1].dropLast())
        #expect(try FloodSelection.parseTime(timeOfDay, reference: floods[0].start) == floods[1].start)
        #expect(throws: ReplayError.badTime("noon")) { try FloodSelection.parseTime("noon", reference: 0) }
    }

    @Test("files read by several threads into separate indexes and joined give the same floods as one reader")
    func parallelLoad() throws {
        let simulator = NetworkSimulator.course()
        simulator.startClient(FloodReplayerTests.client, contact: FloodReplayerTests.p4, chunks: [1, 3, 4, 5, 9])
        simulator.startClient("10.0.0.7:40001", contact: FloodReplayerTests.p1, chunks: [5, 6, 7])
        simulator.run()
        simulator.stopPeers()
        let folder = try TraceFolder()
        folder.write(simulator.events)
        #expect(try folder.segments().count == 7)
        let one = try TraceSet.load(paths: [folder.path], threads: 1)
        let three = try TraceSet.load(paths: [folder.path], threads: 3)
        #expect(three.index.count == one.index.count)
        #expect(three.read.files == one.read.files)
        #expect(FloodReplayer().replay(three.index).floods == FloodReplayer().replay(one.index).floods)
        #expect(FloodReplayer().replay(one.index).floods.count == 2)

        var half = TraceIndex()
        var other = TraceIndex()
        for event in simulator.events { if event.seq % 2 == 0 { half.add(event) } else { other.add(event) } }
        half.absorb(other)
        #expect(FloodReplayer().replay(half).floods == FloodReplayer().replay(events: simulator.events).floods)
    }

    @Test("absurd timestamps and seq numbers from a damaged file are replayed and checked without a crash")
    func absurdValues() throws {
        var events = FloodReplayerTests.courseRun().events
        events[3].timestamp = .max
        events[5].timestamp = .min
        events[7].seq = .max
        events[8].seq = 0
        events.append(
            TraceEvent(
                timestamp: .max, node: "x", role: .peer, run: "r", seq: .max, kind: .recv, message: .query,
                from: "", chunks: [], client: "", ttl: .max, cause: .max))
        let index = TraceIndex(events: events)
        _ = FloodTextRenderer.render(FloodReplayer().replay(index).floods)
        _ = TraceCheck(index).text
        _ = TraceStatistics(index).text
        #expect(throws: ReplayError.self) { try FloodSelection.parseTime("99999999999-01-01T00:00:00Z", reference: 0) }
    }
}
