import ChunkNode
import ChunkNodeNIO
import Synchronization
import TestSupport
import Testing

/// Stopping a peer whose socket thread is waiting for datagrams, on real loopback sockets.
struct PeerStopTests {
    @Test("stop ends a peer waiting for datagrams: `stop` is its last event, recorded once, and its port is free again")
    func stopFreesThePort() async throws {
        let network = try InProcessNetwork()
        let events = EventOrder()
        let server = try await network.startPeer(1, holds: [7], neighbours: [], observers: [events])
        let probe = try UDPProbe()
        let get = try ChunkMessage.get(chunks: [7]).encoded()
        try probe.send(get, to: server.localAddress)
        #expect(await probe.receive(timeout: 2) != nil)
        await server.stop(reason: "test")
        await server.stop(reason: "again")
        #expect(events.kinds == ["start", "recv", "send", "stop test"])

        let restarted = try await network.startPeer(1, holds: [7], neighbours: [])
        try probe.send(get, to: restarted.localAddress)
        let answer = try #require(await probe.receive(timeout: 2))
        #expect(try ChunkMessage(decoding: answer) == .response(chunk: 7, payload: InProcessNetwork.payload(7)))
        await network.shutdown()
    }
}

/// The kinds of the events a node records, in order.
private final class EventOrder: NodeObserver, Sendable {
    private let recorded = Mutex([String]())

    var kinds: [String] { recorded.withLock { $0 } }

    func observe(_ event: NodeEvent, seq: UInt64, timestamp: Int64) {
        let kind =
            switch event {
            case .started: "start"
            case .received: "recv"
            case .sent: "send"
            case .stopped(let reason): "stop \(reason)"
            default: "other"
            }
        recorded.withLock { $0.append(kind) }
    }
}
