import ChunkNode
import ChunkNodeNIO
import Foundation
import NIOCore
import TestSupport
import Testing

struct PeerServerTests {
    @Test("a chunk 3 hops from the contact peer is found; one 4 hops away is logged 0.0.0.0:0")
    func chainReachesThreeHops() async throws {
        let network = try InProcessNetwork()
        // 1 - 2 - 3 - 4 - 5; chunk 40 at peer 4 (3 hops from 1), chunk 50 at peer 5 (4 hops).
        for n in 1...5 {
            try await network.startPeer(
                n, holds: n == 4 ? [40] : n == 5 ? [50] : [],
                neighbours: [n - 1, n + 1].filter { (1...5).contains($0) })
        }
        let outcome = try await network.runClient(contact: 1, chunks: [40, 50])
        #expect(outcome.logLines == ["\(network.address(4)) - 40", "0.0.0.0:0 - 50"])
        #expect(outcome.ending == .timedOut)
        let saved = try Data(contentsOf: network.outputFolder.appendingPathComponent("chunk40.m4s"))
        #expect(saved == Data(InProcessNetwork.payload(40).readableBytesView))
        await network.shutdown()
    }

    @Test("in a triangle every peer answers several times; the client asks once and logs each chunk once")
    func triangleDuplicates() async throws {
        let network = try InProcessNetwork()
        let contact = CountingObserver()
        let counter = CountingObserver()
        try await network.startPeer(1, holds: [1], neighbours: [2, 3], observers: [contact])
        try await network.startPeer(2, holds: [2], neighbours: [1, 3])
        try await network.startPeer(3, holds: [1, 3], neighbours: [1, 2], observers: [counter])
        let outcome = try await network.runClient(contact: 1, chunks: [1, 2, 3])
        #expect(outcome.ending == .complete)
        #expect(outcome.missing.isEmpty)
        #expect(
            Set(outcome.logLines) == [
                "\(network.address(1)) - 1", "\(network.address(2)) - 2", "\(network.address(3)) - 3",
            ])
        // Peer 3 hears the query from 1 (ttl 3) and from 2 (ttl 2); the contact hears it back from both (ttl 1),
        // answering the HELLO and both queries. Late answers may still be on their way: wait for them, then stop
        // the peers so that nothing more is counted.
        let loop = network.group.next()
        #expect(await counter.wait(on: loop) { $0["recv query"] == 2 && $0["send chunk_info"] == 2 })
        #expect(await contact.wait(on: loop) { $0["recv query"] == 2 && $0["send chunk_info"] == 3 })
        for server in network.servers { await server.stop() }
        #expect(counter["recv query"] == 2)
        #expect(counter["send chunk_info"] == 2)
        #expect(counter["send response"] == 1)
        #expect(contact["recv query"] == 2)
        #expect(contact["send chunk_info"] == 3)
        #expect(contact["send query"] == 2, "queries that come back with ttl 1 are not forwarded")
        await network.shutdown()
    }

    @Test("a peer fed garbage datagrams drops them and keeps answering correct ones")
    func garbageIsSurvived() async throws {
        let network = try InProcessNetwork()
        let counter = CountingObserver()
        let server = try await network.startPeer(1, holds: [7], neighbours: [], observers: [counter])
        var generator = SeededGenerator(seed: 0xC0DE_0003)
        let probe = try UDPProbe()
        for _ in 0..<500 {
            let garbage = (0..<Int.random(in: 0...80, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            try probe.send(garbage, to: server.localAddress)
        }
        try probe.send([0, 5, 0, 7, 0, 2, 1, 2], to: server.localAddress)  // a valid RESPONSE, but sent to a peer
        try probe.send([0, 4, 0, 1, 0, 7], to: server.localAddress)
        let answer = try #require(await probe.receive(timeout: 2))
        #expect(try ChunkMessage(decoding: answer) == .response(chunk: 7, payload: InProcessNetwork.payload(7)))
        #expect(counter["recv get"] >= 1)
        #expect(counter["drop unexpected"] >= 1)
        await network.shutdown()
    }

    @Test("GET ids the peer does not hold are ignored; held ones answered in GET order")
    func getOrder() async throws {
        let network = try InProcessNetwork()
        let server = try await network.startPeer(1, holds: [3, 8], neighbours: [])
        let probe = try UDPProbe()
        try probe.send(try ChunkMessage.get(chunks: [8, 99, 3]).encoded(), to: server.localAddress)
        let first = try ChunkMessage(decoding: try #require(await probe.receive(timeout: 2)))
        let second = try ChunkMessage(decoding: try #require(await probe.receive(timeout: 2)))
        #expect(first.chunks == [8])
        #expect(second.chunks == [3])
        #expect(await probe.receive(timeout: 0.2) == nil)
        await network.shutdown()
    }

    @Test("binding an address already in use is a clear error")
    func addressInUse() async throws {
        let network = try InProcessNetwork()
        try await network.startPeer(1, holds: [], neighbours: [])
        await #expect(throws: NodeIOError.addressInUse(network.address(1))) {
            try await network.startPeer(1, holds: [], neighbours: [])
        }
        await network.shutdown()
    }
}
