import ChunkNode
import ChunkNodeNIO
import ChunkTrace
import Foundation
import NIOCore
import NIOPosix
import NodeObservers
import Synchronization
import TestSupport
import Testing

/// The simulator and the real sockets run the same drivers: the same inputs give the same events, node by node.
@Suite("One driver in the simulator and on real sockets")
struct DriverParityTests {
    @Test("a chain run with garbage, a wrong-role message and a GET for an unknown id traces the same either way")
    func chainRunIsTheSameOnBothSides() async throws {
        let real = try await Self.realRun()
        let simulated = Self.simulatedRun(clientAddress: real.client)
        #expect(Set(real.events.keys) == Set(simulated.keys))
        for (node, events) in real.events {
            #expect(events == simulated[node], "node \(node)")
        }
        #expect(real.events[real.client.description]?.last?.kind == .done)
        #expect(real.events[Self.peers[0].description]?.contains { $0.kind == .drop } == true)
        #expect(
            real.events[Self.peers[1].description]?.contains { $0.kind == .drop && $0.reason == "unexpected" } == true)
    }

    // Peers 1 - 2 - 3 on loopback, holding 7, 8 and 9; a probe sends garbage and a GET [7, 99] to peer 1, and a
    // RESPONSE and a GET [8] to peer 2; then a client asks peer 1 for chunk 9, two hops away.
    static let subnet: UInt32 = (127 << 24) | ((60 + UInt32(ProcessInfo.processInfo.processIdentifier % 100)) << 16)
    static let peers = (1...3).map { NodeAddress(ip: subnet + UInt32($0), port: UInt16(7000 + $0)) }
    static let held: [[ChunkID]] = [[7], [8], [9]]
    static let neighbors: [[Int]] = [[1], [0, 2], [1]]
    static let garbage: [UInt8] = [0, 9, 1, 2, 3]
    static let getUnknown = (try? ChunkMessage.get(chunks: [7, 99]).encoded()) ?? []
    static let wrongRole = (try? ChunkMessage.response(chunk: 3, payload: ByteBuffer(bytes: [1, 2])).encoded()) ?? []
    static let getHeld = (try? ChunkMessage.get(chunks: [8]).encoded()) ?? []
    static let probeAddress = NodeAddress(ip: subnet + 100, port: 7100)

    /// What the simulator's peers serve for `chunk`.
    static func payload(_ chunk: ChunkID) -> ByteBuffer {
        ByteBuffer(repeating: UInt8(truncatingIfNeeded: chunk), count: 1024)
    }

    /// Long enough that no GET or HELLO is re-sent on a loaded machine: a retry would be timing, not logic.
    static let patient = (timeout: TimeAmount.seconds(30), retry: TimeAmount.seconds(30))

    static func identity(_ node: NodeAddress, _ role: TraceRole) -> TraceIdentity {
        TraceIdentity(node: node, role: role, run: "parity-\(node)")
    }

    /// Per node, the events with their timestamps set to 0.
    static func byNode(_ events: [TraceEvent]) -> [String: [TraceEvent]] {
        Dictionary(
            grouping: events.map { event in
                var event = event
                event.timestamp = 0
                return event
            }, by: \.node)
    }

    static func simulatedRun(clientAddress: NodeAddress) -> [String: [TraceEvent]] {
        let simulator = NetworkSimulator()
        for (index, peer) in peers.enumerated() {
            simulator.addPeer(
                peer.description, held: held[index], neighbors: neighbors[index].map { peers[$0].description },
                run: identity(peer, .peer).run)
        }
        simulator.inject(garbage, from: probeAddress, to: peers[0])
        simulator.inject(getUnknown, from: probeAddress, to: peers[0])
        simulator.inject(wrongRole, from: probeAddress, to: peers[1])
        simulator.inject(getHeld, from: probeAddress, to: peers[1])
        simulator.run(finish: false)
        simulator.startClient(
            clientAddress.description, contact: peers[0].description, chunks: [9],
            run: identity(clientAddress, .client).run)
        simulator.run()
        simulator.stopPeers()
        return byNode(simulator.events)
    }

    static func realRun() async throws -> (events: [String: [TraceEvent]], client: NodeAddress) {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let collector = TraceCollector()
        var servers: [PeerServer] = []
        for (index, peer) in peers.enumerated() {
            let store = ChunkStore(payloads: Dictionary(uniqueKeysWithValues: held[index].map { ($0, payload($0)) }))
            let node = PeerNode(address: peer, neighbors: neighbors[index].map { peers[$0] }, store: store)
            servers.append(
                try await PeerServer.start(
                    node: node, observers: [collector.observer(identity(peer, .peer))], software: "sim"))
        }
        let probe = try UDPProbe(ip: probeAddress.ip, port: probeAddress.port)
        try probe.send(garbage, to: peers[0])
        try probe.send(getUnknown, to: peers[0])
        try probe.send(wrongRole, to: peers[1])
        try probe.send(getHeld, to: peers[1])
        // The two answers to the probe are the last events of the probe's datagrams.
        #expect(
            await collector.wait(on: group.next()) {
                $0.filter { $0.kind == .send && $0.message == .response }.count == 2
            })

        let output = try TemporaryFolder(prefix: "parity")
        defer { output.remove() }
        let session = try await ClientSession.start(
            configuration: ClientConfiguration(
                contact: peers[0], chunks: [9], inactivityTimeout: patient.timeout, retryInterval: patient.retry),
            outputDirectory: output.path,
            group: group, makeObservers: { [collector.observer(identity($0, .client))] }, software: "sim")
        let outcome = try await session.finish()
        #expect(outcome.ending == .complete)
        for server in servers { await server.stop(reason: "SIGTERM") }
        try await group.shutdownGracefully()
        return (byNode(collector.events), outcome.localAddress)
    }
}

/// Collects the trace events of several nodes and lets a test wait until they say something happened.
private final class TraceCollector: Sendable {
    private struct State {
        var events: [TraceEvent] = []
        var waiters:
            [(id: Int, condition: @Sendable ([TraceEvent]) -> Bool, continuation: CheckedContinuation<Bool, Never>)] =
                []
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    var events: [TraceEvent] { state.withLock { $0.events } }

    func observer(_ identity: TraceIdentity) -> any NodeObserver { Observer(collector: self, identity: identity) }

    private final class Observer: NodeObserver {
        let collector: TraceCollector
        let identity: TraceIdentity

        init(collector: TraceCollector, identity: TraceIdentity) {
            self.collector = collector
            self.identity = identity
        }

        func observe(_ event: NodeEvent, seq: UInt64, timestamp: Int64) {
            collector.append(TraceEvent(event, seq: seq, timestamp: timestamp, identity: identity))
        }
    }

    private func append(_ event: TraceEvent) {
        let met = state.withLock { state in
            state.events.append(event)
            let events = state.events
            let met = state.waiters.filter { $0.condition(events) }
            state.waiters.removeAll { $0.condition(events) }
            return met
        }
        for waiter in met { waiter.continuation.resume(returning: true) }
    }

    /// Waits until `condition` holds for the events collected; `false` when it still does not after `timeout`.
    func wait(
        timeout: TimeAmount = .seconds(5), on eventLoop: any EventLoop,
        until condition: @escaping @Sendable ([TraceEvent]) -> Bool
    ) async -> Bool {
        await withCheckedContinuation { continuation in
            let id = state.withLock { state -> Int? in
                guard !condition(state.events) else { return nil }
                state.nextWaiter += 1
                state.waiters.append((state.nextWaiter, condition, continuation))
                return state.nextWaiter
            }
            guard let id else { return continuation.resume(returning: true) }
            eventLoop.scheduleTask(in: timeout) {
                let expired = self.state.withLock { state -> CheckedContinuation<Bool, Never>? in
                    guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return state.waiters.remove(at: index).continuation
                }
                expired?.resume(returning: false)
            }
        }
    }
}
