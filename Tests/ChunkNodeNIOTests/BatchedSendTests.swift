import ChunkNode
import ChunkNodeNIO
import NIOCore
import TestSupport
import Testing

/// The answers of one read burst leave together (`sendmmsg`), on real loopback sockets; one the kernel refuses
/// fails alone.
struct BatchedSendTests {
    @Test("a datagram the kernel refuses in the middle of a burst fails alone: the ones before and after it leave")
    func refusedDatagramFailsAlone() async throws {
        let network = try InProcessNetwork()
        let counter = CountingObserver()
        let client = try UDPProbe()
        let neighbour = try UDPProbe(ip: 0x7F00_0002)
        // Port 0 is no destination: Linux refuses that datagram (EINVAL) and that one only.
        let refused = NodeAddress(ip: 0x7F00_0003, port: 0)
        let node = PeerNode(
            address: network.address(1), neighbors: [refused, neighbour.address],
            store: ChunkStore(payloads: [1: InProcessNetwork.payload(1)]))
        let server = try await PeerServer.start(
            node: node, observers: [counter], software: "test")
        // One HELLO makes one burst: CHUNK_INFO to the client, QUERY to the refused address, QUERY to the neighbour.
        try client.send(try ChunkMessage.hello(chunks: [1]).encoded(), to: server.localAddress)
        let info = await client.receive(timeout: 2).map { try? ChunkMessage(decoding: $0) }
        #expect(info == .chunkInfo(chunks: [1]))
        let query = await neighbour.receive(timeout: 2).map { try? ChunkMessage(decoding: $0) }
        #expect(query == .query(client: client.address, ttl: 3, chunks: [1]))
        // The events are recorded once sendmmsg returns, which may be after the probes got their datagrams.
        #expect(await counter.wait(on: network.group.next()) { $0["send_failed query"] == 1 })
        #expect(counter["send query"] == 1)
        #expect(counter["send chunk_info"] == 1)
        // The socket still serves.
        try client.send(try ChunkMessage.get(chunks: [1]).encoded(), to: server.localAddress)
        let response = await client.receive(timeout: 2).map { try? ChunkMessage(decoding: $0) }
        #expect(response == .response(chunk: 1, payload: InProcessNetwork.payload(1)))
        await server.stop()
        await network.shutdown()
    }

    @Test("GETs from 8 sockets sent back to back are each answered, in each GET's order, and traced once each")
    func burstFromManySockets() async throws {
        let network = try InProcessNetwork()
        let counter = CountingObserver()
        let ids = (1...20).map { ChunkID($0) }
        let server = try await network.startPeer(
            1, holds: ids, neighbours: [], observers: [counter], responseRateLimit: 0)
        let probes = try (0..<8).map { _ in try UDPProbe(receiveBufferBytes: 4 << 20) }
        for probe in probes { try probe.send(try ChunkMessage.get(chunks: ids).encoded(), to: server.localAddress) }
        for probe in probes {
            var order = [ChunkID]()
            while order.count < ids.count, let datagram = await probe.receive(timeout: 2) {
                if case .response(let chunk, _) = try ChunkMessage(decoding: datagram) { order.append(chunk) }
            }
            #expect(order == ids)
        }
        #expect(await counter.wait(on: network.group.next()) { $0["send response"] == 160 })
        #expect(counter["recv get"] == 8)
        await network.shutdown()
    }
}
