import ChunkTrace
import Testing

@testable import FloodReplay

@Suite("Rebuilding floods from simulated traces")
struct FloodReplayerTests {
    static let p1 = "10.0.0.1:5001"
    static let p2 = "10.0.0.2:5002"
    static let p3 = "10.0.0.3:5003"
    static let p4 = "10.0.0.4:5004"
    static let p5 = "10.0.0.5:5005"
    static let client = "10.0.0.6:40000"

    static func courseRun(configure: (NetworkSimulator) -> Void = { _ in }) -> NetworkSimulator {
        let simulator = NetworkSimulator.course()
        configure(simulator)
        simulator.startClient(client, contact: p4, chunks: [1, 3, 4, 5, 9])
        simulator.run()
        return simulator
    }

    static func answers(_ flood: Flood) -> [String: [[UInt16]]] {
        Dictionary(grouping: flood.answers, by: \.peer).mapValues { $0.map(\.chunks) }
    }

    @Test("the course run from p4 gives the tree of PROTOCOL.md: p5, then p2 and p3, then p1 twice")
    func courseTopology() throws {
        let report = FloodReplayer().replay(events: Self.courseRun().events)
        #expect(report.floods.count == 1)
        let flood = try #require(report.floods.first)
        #expect(flood.client == Self.client)
        #expect(flood.contact == Self.p4)
        #expect(flood.askedChunks == [1, 3, 4, 5, 9])
        #expect(flood.contactTraced && flood.clientTraced)

        let hops = flood.visits.map { "\($0.node)@\($0.hop)" }
        #expect(
            hops.sorted() == [
                "\(Self.p1)@3", "\(Self.p1)@3", "\(Self.p2)@2", "\(Self.p3)@2", "\(Self.p4)@0", "\(Self.p5)@1",
            ])
        let root = try #require(flood.children(of: nil).first)
        #expect(root.node == Self.p4 && root.ttl == nil && root.offset == 0)
        let p5 = try #require(flood.children(of: root.id).first)
        #expect(p5.node == Self.p5 && p5.ttl == 3)
        #expect(Set(flood.children(of: p5.id).map(\.node)) == [Self.p2, Self.p3])
        #expect(flood.children(of: p5.id).allSatisfy { $0.ttl == 2 })

        let p1Visits = flood.visits.filter { $0.node == Self.p1 }
        #expect(p1Visits.count == 2)
        #expect(p1Visits.allSatisfy { $0.ttl == 1 && $0.expired && $0.forwardedTo.isEmpty })
        #expect(p1Visits.filter(\.isDuplicate).count == 1)
        let parents = Set(p1Visits.compactMap { $0.parent.map { flood.visits[$0].node } })
        #expect(parents == [Self.p2, Self.p3])

        #expect(Self.answers(flood) == [Self.p5: [[9]], Self.p2: [[1]], Self.p3: [[3]], Self.p1: [[5], [5]]])
        let served = Dictionary(uniqueKeysWithValues: flood.deliveries.map { ($0.chunk, $0.peer) })
        #expect(served == [9: Self.p5, 1: Self.p2, 3: Self.p3, 5: Self.p1])
        #expect(flood.deliveries.allSatisfy { $0.seenByClient && $0.offset > 0 && $0.size == 1024 })
        #expect(flood.notFound == [4])
        #expect(flood.clientMissing == [4])
        #expect(flood.lost.isEmpty)

        let summary = flood.summary
        #expect(summary.peersReached == 5)
        #expect(summary.peersTraced == 5)
        #expect(summary.queryMessages == 5)
        #expect(summary.duplicates == 1)
        #expect(summary.depth == 3)
        #expect(summary.expired == 2)
        #expect(summary.lost == 0)
        let lastChunk = try #require(summary.lastChunk)
        let lastInfo = try #require(summary.lastChunkInfo)
        #expect(lastChunk > lastInfo)
    }

    @Test("in a chain of five peers a chunk four hops from the contact is not found, one three hops away is")
    func chainOfFive() throws {
        let simulator = NetworkSimulator()
        let chain = (1...5).map { "10.0.1.\($0):600\($0)" }
        for (i, address) in chain.enumerated() {
            let neighbors = [i > 0 ? chain[i - 1] : nil, i < 4 ? chain[i + 1] : nil].compactMap { $0 }
            simulator.addPeer(address, held: i == 4 ? [44] : i == 3 ? [33] : [], neighbors: neighbors)
        }
        simulator.startClient("10.0.1.9:7000", contact: chain[0], chunks: [33, 44])
        simulator.run()
        let flood = try #require(FloodReplayer().replay(events: simulator.events).floods.first)
        #expect(flood.visits.map(\.node) == Array(chain.prefix(4)))
        #expect(flood.visits.map(\.hop) == [0, 1, 2, 3])
        #expect(flood.visits.last?.expired == true)
        #expect(flood.deliveries.map(\.chunk) == [33])
        #expect(flood.deliveries.first?.peer == chain[3])
        #expect(flood.notFound == [44])
        #expect(flood.summary.peersReached == 4)
        #expect(flood.summary.peersTraced == 5)
        #expect(flood.summary.depth == 3)
        #expect(flood.summary.duplicates == 0)
    }

    @Test("in a triangle every peer is reached again by the other path, and the contact gets its own query back")
    func triangle() throws {
        let simulator = NetworkSimulator()
        let (a, b, c) = ("10.0.2.1:5001", "10.0.2.2:5002", "10.0.2.3:5003")
        simulator.addPeer(a, held: [], neighbors: [b, c])
        simulator.addPeer(b, held: [2], neighbors: [a, c])
        simulator.addPeer(c, held: [3], neighbors: [a, b])
        simulator.startClient("10.0.2.9:7000", contact: a, chunks: [2, 3])
        simulator.run()
        let flood = try #require(FloodReplayer().replay(events: simulator.events).floods.first)
        #expect(flood.visits.count == 7)
        #expect(flood.summary.queryMessages == 6)
        #expect(flood.summary.duplicates == 4)
        #expect(flood.summary.peersReached == 3)
        #expect(flood.visits.filter { $0.node == a }.map(\.hop) == [0, 3, 3])
        #expect(flood.visits.filter { $0.node == a && $0.hop == 3 }.allSatisfy { $0.isDuplicate && $0.expired })
        for node in [b, c] {
            let visits = flood.visits.filter { $0.node == node }
            #expect(visits.map(\.hop) == [1, 2])
            #expect(visits.map(\.isDuplicate) == [false, true])
            #expect(visits.map(\.ttl) == [3, 2])
        }
        #expect(Self.answers(flood) == [b: [[2], [2]], c: [[3], [3]]])
        #expect(Set(flood.deliveries.map(\.chunk)) == [2, 3])
    }

    @Test("a peer killed mid-flood: the queries sent to it afterwards are lost, its chunk is not found")
    func killedPeer() throws {
        let simulator = Self.courseRun { $0.kill(Self.p3, at: $0.now + 300) }
        let flood = try #require(FloodReplayer().replay(events: simulator.events).floods.first)
        let lost = flood.lost.filter { $0.message == .query }
        #expect(lost.count == 1)
        #expect(lost.first?.from == Self.p5 && lost.first?.to == Self.p3 && lost.first?.ttl == 2)
        #expect(lost.first?.reason == .receiverDown)
        #expect(flood.summary.lost == 1)
        #expect(!flood.visits.contains { $0.node == Self.p3 })
        #expect(flood.visits.filter { $0.node == Self.p1 }.count == 1)
        #expect(flood.summary.duplicates == 0)
        #expect(flood.notFound == [3, 4])
        let text = FloodTextRenderer.render(flood)
        #expect(text.contains("✗ \(Self.p3)"))
        #expect(text.contains("lost datagrams:\n    QUERY \(Self.p5) → \(Self.p3) ttl 2"))
    }

    @Test("a datagram lost by the network while the receiver was up is reported as lost, not as down")
    func droppedDatagram() throws {
        let simulator = Self.courseRun { simulator in
            simulator.drops = { message, from, to in
                if case .query = message { return from.description == Self.p2 && to.description == Self.p1 }
                return false
            }
        }
        let flood = try #require(FloodReplayer().replay(events: simulator.events).floods.first)
        #expect(flood.lost.map(\.reason) == [.notReceived])
        #expect(flood.lost.first?.to == Self.p1)
        #expect(flood.visits.filter { $0.node == Self.p1 }.count == 1)
        #expect(flood.deliveries.contains { $0.chunk == 5 && $0.peer == Self.p1 })
    }

    @Test("without p5's trace the flood still shows p4, the queries sent to p5, and p2, p3, p1 beyond it")
    func missingMiddleTrace() throws {
        let simulator = Self.courseRun()
        simulator.forget(Self.p5)
        let report = FloodReplayer().replay(events: simulator.events)
        #expect(report.floods.count == 1)
        let flood = try #require(report.floods.first)
        #expect(flood.lost.map(\.reason) == [.receiverUntraced, .receiverUntraced])
        #expect(flood.lost.map(\.message) == [.query, .get])
        #expect(flood.lost.allSatisfy { $0.to == Self.p5 })
        #expect(flood.summary.lost == 0)
        #expect(flood.summary.peersTraced == 4)
        let orphans = flood.visits.filter(\.senderUntraced)
        #expect(Set(orphans.map(\.node)) == [Self.p2, Self.p3])
        #expect(orphans.allSatisfy { $0.hop == 2 && $0.from == Self.p5 })
        #expect(flood.visits.filter { $0.node == Self.p1 }.count == 2)
        #expect(Self.answers(flood)[Self.p5] == nil)
        #expect(flood.deliveries.contains { $0.chunk == 9 && $0.peer == Self.p5 })
        #expect(!report.warnings.isEmpty)
    }

    @Test("without the contact peer's trace the flood is rebuilt from the client's HELLO and its neighbours")
    func missingContactTrace() throws {
        let simulator = Self.courseRun()
        simulator.forget(Self.p4)
        let flood = try #require(FloodReplayer().replay(events: simulator.events).floods.first)
        #expect(!flood.contactTraced)
        #expect(flood.contact == Self.p4)
        let root = try #require(flood.visits.first)
        #expect(root.untracedContact && root.node == Self.p4)
        #expect(flood.children(of: 0).map(\.node) == [Self.p5])
        #expect(flood.summary.peersReached == 5)
        #expect(flood.summary.depth == 3)
        #expect(Set(flood.deliveries.map(\.chunk)) == [1, 3, 5, 9])
    }

    @Test("without the client's trace chunks are attributed from the peers' RESPONSE sends")
    func missingClientTrace() throws {
        let simulator = Self.courseRun()
        simulator.forget(Self.client)
        let flood = try #require(FloodReplayer().replay(events: simulator.events).floods.first)
        #expect(!flood.clientTraced)
        #expect(flood.deliveries.allSatisfy { !$0.seenByClient })
        let served = Dictionary(uniqueKeysWithValues: flood.deliveries.map { ($0.chunk, $0.peer) })
        #expect(served == [9: Self.p5, 1: Self.p2, 3: Self.p3, 5: Self.p1])
        #expect(flood.lost.isEmpty)
    }

    @Test("two unrelated runs mixed in one set become two sessions, each with its own correct flood")
    func unrelatedRuns() throws {
        let first = Self.courseRun()
        let second = NetworkSimulator.course(startTime: 1_764_003_600_000_000, runSuffix: "-b")
        second.startClient(Self.client, contact: Self.p4, chunks: [1, 3, 4, 5, 9], run: "client-b")
        second.run()
        let report = FloodReplayer().replay(events: (second.events + first.events).shuffled())
        #expect(report.sessions.count == 2)
        #expect(report.floods.count == 2)
        #expect(report.floods.map(\.session) == [1, 2])
        for flood in report.floods {
            #expect(flood.summary.peersReached == 5)
            #expect(flood.summary.duplicates == 1)
            #expect(flood.summary.queryMessages == 5)
            #expect(flood.deliveries.count == 4)
            #expect(flood.lost.isEmpty)
        }
    }

    @Test("two clients flooding at once get separate floods with their own answers")
    func concurrentClients() throws {
        let simulator = NetworkSimulator.course()
        simulator.startClient(Self.client, contact: Self.p4, chunks: [1, 3, 4, 5, 9])
        simulator.startClient("10.0.0.7:40001", contact: Self.p1, chunks: [5, 6, 7])
        simulator.run()
        let report = FloodReplayer().replay(events: simulator.events)
        #expect(report.floods.count == 2)
        let second = try #require(report.floods.first { $0.client == "10.0.0.7:40001" })
        #expect(second.contact == Self.p1)
        #expect(Set(second.deliveries.map(\.peer)) == [Self.p1])
        #expect(second.deliveries.count == 3)
        let first = try #require(report.floods.first { $0.client == Self.client })
        #expect(first.summary.duplicates == 1)
        #expect(first.deliveries.count == 4)
    }

    @Test("answers that reach a client after it ended are late, not lost")
    func lateAnswers() throws {
        let simulator = NetworkSimulator.course()
        simulator.endClientWhenComplete("10.0.0.7:40001")
        simulator.startClient("10.0.0.7:40001", contact: Self.p1, chunks: [6])
        simulator.run()
        let flood = try #require(FloodReplayer().replay(events: simulator.events).floods.first)
        #expect(flood.deliveries.map(\.peer) == [Self.p1])
        #expect(flood.summary.lost == 0)
        let late = flood.lost.filter { $0.reason == .receiverEnded }
        #expect(!late.isEmpty)
        #expect(late.allSatisfy { $0.to == "10.0.0.7:40001" && $0.message == .chunkInfo })
        #expect(late.contains { $0.from == Self.p4 })
        #expect(FloodTextRenderer.render(flood).contains("sent after the receiver had ended:"))
    }

    @Test("a HELLO the client re-sends is a retry of the first flood, which lists the whole request's chunks")
    func helloRetry() throws {
        let simulator = NetworkSimulator.course()
        var droppedOnce = false
        simulator.drops = { message, from, _ in
            guard case .chunkInfo = message, from.description == Self.p3, !droppedOnce else { return false }
            droppedOnce = true
            return true
        }
        simulator.startClient(Self.client, contact: Self.p4, chunks: [1, 3, 4, 5, 9], helloRetries: 1)
        simulator.run(finish: false)
        simulator.advance(by: 1_100_000)
        simulator.run()
        let floods = FloodReplayer().replay(events: simulator.events).floods
        #expect(floods.count == 2)
        let first = try #require(floods.first)
        let retry = try #require(floods.last)
        #expect(first.retryOf == nil && retry.retryOf == 1)
        #expect(retry.summary.peersReached == 5)
        #expect(retry.deliveries.isEmpty && retry.notFound.isEmpty)
        let served = Dictionary(uniqueKeysWithValues: first.deliveries.map { ($0.chunk, $0.peer) })
        #expect(served == [9: Self.p5, 1: Self.p2, 3: Self.p3, 5: Self.p1])
        #expect(first.notFound == [4])
        #expect(first.lost.map(\.message) == [.chunkInfo])
        #expect(first.lost.first?.reason == .notReceived)
        #expect(FloodTextRenderer.list(floods).contains("HELLO retry of #1"))
    }

    @Test("two identical queries between the same two peers (no query ids) are told apart by time, one per path")
    func identicalQueriesOnOneLink() throws {
        let simulator = NetworkSimulator()
        let (p, q, r, x, y) = ("10.0.3.1:5001", "10.0.3.2:5002", "10.0.3.3:5003", "10.0.3.4:5004", "10.0.3.5:5005")
        simulator.addPeer(p, held: [], neighbors: [q, r])
        simulator.addPeer(q, held: [], neighbors: [p, x])
        simulator.addPeer(r, held: [], neighbors: [p, x])
        simulator.addPeer(x, held: [], neighbors: [q, r, y])
        simulator.addPeer(y, held: [7], neighbors: [x])
        simulator.startClient("10.0.3.9:7000", contact: p, chunks: [7])
        simulator.run()
        let flood = try #require(FloodReplayer().replay(events: simulator.events).floods.first)
        let ys = flood.visits.filter { $0.node == y }
        #expect(ys.count == 2)
        #expect(ys.allSatisfy { $0.hop == 3 && $0.ttl == 1 && $0.expired })
        #expect(Set(ys.compactMap(\.parent)).count == 2)
        #expect(ys.filter(\.isDuplicate).count == 1)
        #expect(flood.summary.queryMessages == 8)
        #expect(flood.visits.filter { $0.node == q || $0.node == r }.map(\.isDuplicate).filter { $0 }.count == 2)
        #expect(flood.lost.isEmpty)
        #expect(flood.deliveries.map(\.peer) == [y])
    }
}
