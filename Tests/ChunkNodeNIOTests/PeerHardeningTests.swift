import ChunkNode
import ChunkNodeNIO
import Foundation
import NIOCore
import TestSupport
import Testing

/// What a peer does with datagrams an attacker or a big chunk would send, on real loopback sockets.
struct PeerHardeningTests {
    /// `count` bytes that say which chunk they belong to.
    static func payload(_ chunk: ChunkID, count: Int) -> ByteBuffer {
        ByteBuffer(bytes: (0..<count).map { UInt8(truncatingIfNeeded: Int(chunk) &* 7 &+ $0 / 3) })
    }

    @Test("5,000- and 65,501-byte chunks are served and saved whole")
    func bigChunksEndToEnd() async throws {
        let network = try InProcessNetwork()
        let sizes: [ChunkID: Int] = [1: 5_000, 2: ChunkStore.maximumPayload]
        try await network.startPeer(1, holds: [1, 2], neighbours: []) { Self.payload($0, count: sizes[$0] ?? 0) }
        let outcome = try await network.runClient(contact: 1, chunks: [1, 2])
        #expect(outcome.ending == .complete)
        for (chunk, size) in sizes {
            let saved = try Data(contentsOf: network.outputFolder.appendingPathComponent("chunk\(chunk).m4s"))
            #expect(saved.count == size)
            #expect(saved == Data(Self.payload(chunk, count: size).readableBytesView))
        }
        await network.shutdown()
    }

    @Test("a GET of 3,000 ids (a 6,004-byte datagram) is answered with 3,000 RESPONSEs")
    func bigGet() async throws {
        let network = try InProcessNetwork()
        let ids = (0..<3000).map { ChunkID($0) }
        let server = try await network.startPeer(1, holds: ids, neighbours: []) { Self.payload($0, count: 8) }
        let probe = try UDPProbe(receiveBufferBytes: 32 << 20)
        try probe.send(try ChunkMessage.get(chunks: ids).encoded(), to: server.localAddress)
        var answered = Set<ChunkID>()
        while answered.count < ids.count, let datagram = await probe.receive(timeout: 2) {
            if case .response(let chunk, let payload) = try ChunkMessage(decoding: datagram) {
                #expect(payload == Self.payload(chunk, count: 8))
                answered.insert(chunk)
            }
        }
        #expect(answered.count == 3000)
        await network.shutdown()
    }

    @Test("an id repeated 700 times in one GET is answered once")
    func repeatedIds() async throws {
        let network = try InProcessNetwork()
        let server = try await network.startPeer(1, holds: [7], neighbours: [])
        let probe = try UDPProbe()
        try probe.send(try ChunkMessage.get(chunks: Array(repeating: 7, count: 700)).encoded(), to: server.localAddress)
        #expect(await probe.receive(timeout: 2).map { try? ChunkMessage(decoding: $0).chunks } == [7])
        #expect(await probe.receive(timeout: 0.3) == nil)
        await network.shutdown()
    }

    @Test("over its response budget an address gets no more answers, counted and traced; another address still does")
    func responseBudget() async throws {
        let network = try InProcessNetwork()
        let counter = CountingObserver()
        let ids = (1...50).map { ChunkID($0) }
        // One answer a second, so the test's own pace cannot refill a bucket.
        let server = try await network.startPeer(
            1, holds: ids, neighbours: [], observers: [counter], responseRateLimit: 1)
        let attacked = try UDPProbe(receiveBufferBytes: 8 << 20)
        let other = try UDPProbe(ip: 0x7F00_0002, receiveBufferBytes: 8 << 20)
        try attacked.send(try ChunkMessage.get(chunks: ids).encoded(), to: server.localAddress)
        try attacked.send(try ChunkMessage.hello(chunks: ids).encoded(), to: server.localAddress)
        try other.send(try ChunkMessage.get(chunks: ids).encoded(), to: server.localAddress)
        #expect(await attacked.drain(quiet: 0.5) == 2, "the burst: twice the rate")
        #expect(await other.drain(quiet: 0.5) == 2)
        #expect(counter["limited response"] == 96)
        #expect(counter["limited chunk_info"] == 1)
        #expect(counter["rate_limited response"] == 96)
        #expect(counter["rate_limited chunk_info"] == 1)
        #expect(counter["send response"] == 4)
        await network.shutdown()
    }

    @Test("with --response-rate-limit 0 there is no budget")
    func budgetOff() async throws {
        let network = try InProcessNetwork()
        let ids = (1...100).map { ChunkID($0) }
        let server = try await network.startPeer(1, holds: ids, neighbours: [], responseRateLimit: 0)
        let probe = try UDPProbe(receiveBufferBytes: 8 << 20)
        for _ in 0..<50 { try probe.send(try ChunkMessage.get(chunks: ids).encoded(), to: server.localAddress) }
        #expect(await probe.drain(quiet: 0.5) == 5000)
        await network.shutdown()
    }
}
