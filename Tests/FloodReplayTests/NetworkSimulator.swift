import ChunkNode
import ChunkTrace
import Foundation
import NIOCore
import NodeObservers

/// An in-memory network that runs every node through its real driver (`PeerDriver`, `ClientDriver`: decode, node
/// logic, events, encoded sends) and records the trace events a `TracingObserver` would write, with a simulated
/// clock (microseconds).
///
/// Deterministic: datagrams are delivered in time order, ties in send order. Nodes can be killed (they stop
/// receiving and tracing) and datagrams can be dropped by a rule.
final class NetworkSimulator {
    private struct Node {
        var peer: PeerDriver?
        var client: ClientDriver?
    }

    private struct Datagram {
        var bytes: ByteBuffer
        var from: NodeAddress
        var to: NodeAddress
        var deliverAt: Int64
        var order: Int
    }

    private var nodes: [NodeAddress: Node] = [:]
    private var killedAt: [NodeAddress: Int64] = [:]
    private var inFlight: [Datagram] = []
    private var sent = 0
    private(set) var now: Int64
    private(set) var events: [TraceEvent] = []
    /// One-way delay of every datagram, in microseconds.
    var latency: Int64 = 200
    /// Returns `true` for a datagram the network should lose.
    var drops: (ChunkMessage, NodeAddress, NodeAddress) -> Bool = { _, _, _ in false }

    /// More observers for each node (metrics), beside the simulated trace.
    private let extraObservers: (NodeAddress, TraceRole) -> [any NodeObserver]

    init(
        startTime: Int64 = 1_764_000_000_000_000,
        observers: @escaping (NodeAddress, TraceRole) -> [any NodeObserver] = { _, _ in [] }
    ) {
        now = startTime
        extraObservers = observers
    }

    static func address(_ text: String) -> NodeAddress {
        (try? NodeAddress(parsing: text)) ?? .unspecified
    }

    /// A recorder for `node` whose events land in `events` while the node is alive, one microsecond apart.
    private func recorder(for node: NodeAddress, role: TraceRole, run: String) -> NodeEventRecorder {
        let identity = TraceIdentity(node: node, role: role, run: run)
        return NodeEventRecorder(
            observers: [SimulatedTrace(network: self, node: node, identity: identity)] + extraObservers(node, role),
            clock: { [unowned self] in
                if isAlive(node) { now += 1 }
                return now
            })
    }

    /// Adds a peer holding `held` (1024-byte payloads) with `neighbors`, and records its `start` event.
    func addPeer(_ address: String, held: [UInt16], neighbors: [String], run: String? = nil) {
        let node = Self.address(address)
        var payloads: [ChunkID: ByteBuffer] = [:]
        for chunk in held { payloads[chunk] = ByteBuffer(repeating: UInt8(truncatingIfNeeded: chunk), count: 1024) }
        let peer = PeerNode(
            address: node, neighbors: neighbors.map(Self.address), store: ChunkStore(payloads: payloads))
        let driver = PeerDriver(node: peer, recorder: recorder(for: node, role: .peer, run: run ?? "run-\(address)"))
        nodes[node] = Node(peer: driver)
        driver.start(software: "sim")
    }

    /// Starts a client at `address` asking `chunks` of `contact`, and records its `start` and HELLO.
    func startClient(_ address: String, contact: String, chunks: [UInt16], run: String? = nil, helloRetries: Int = 0) {
        let node = Self.address(address)
        let client = ClientNode(
            configuration: ClientConfiguration(
                contact: Self.address(contact), chunks: chunks, helloRetries: helloRetries))
        nodes[node] = Node(
            client: ClientDriver(
                node: client, recorder: recorder(for: node, role: .client, run: run ?? "run-\(address)")))
        nodes[node]?.client?.start(at: deadline, software: "sim", sendingWith: link(from: node))
    }

    /// Ends client `address` cleanly once it has every asked chunk (its `done`), as the real client does: later
    /// datagrams to it are not received.
    func endClientWhenComplete(_ address: String) {
        endWhenComplete.insert(Self.address(address))
    }

    private var endWhenComplete: Set<NodeAddress> = []

    /// Kills `address` at time `at`: from then on it neither receives nor traces.
    func kill(_ address: String, at time: Int64) {
        killedAt[Self.address(address)] = time
    }

    /// Records a `stop` event for every peer still alive, as SIGTERM does.
    func stopPeers() {
        for (_, state) in nodes.sorted(by: { $0.key < $1.key }) {
            state.peer?.recorder.record(.stopped(reason: "SIGTERM"))
        }
    }

    /// Removes every event of `address` from the recorded trace set (as if its trace files were lost).
    func forget(_ address: String) {
        events.removeAll { $0.node == address }
    }

    private var deadline: NIODeadline { .uptimeNanoseconds(UInt64(max(0, now)) * 1000) }

    fileprivate func isAlive(_ node: NodeAddress) -> Bool {
        guard let killedAt = killedAt[node] else { return true }
        return now < killedAt
    }

    fileprivate func append(_ event: TraceEvent) {
        events.append(event)
    }

    private func link(from node: NodeAddress) -> SimulatedLink {
        SimulatedLink(network: self, from: node)
    }

    /// Puts a datagram in flight, unless the `drops` rule loses it.
    fileprivate func transmit(_ bytes: ByteBuffer, from node: NodeAddress, to destination: NodeAddress) {
        sent += 1
        if let message = try? ChunkMessage(decoding: bytes.readableBytesView), drops(message, node, destination) {
            return
        }
        inFlight.append(Datagram(bytes: bytes, from: node, to: destination, deliverAt: now + latency, order: sent))
    }

    /// Puts raw `bytes` in flight from `source`, which need not be a node (a probe, a broken sender).
    func inject(_ bytes: [UInt8], from source: NodeAddress, to destination: NodeAddress) {
        sent += 1
        inFlight.append(
            Datagram(
                bytes: ByteBuffer(bytes: bytes), from: source, to: destination, deliverAt: now + latency, order: sent))
    }

    /// Moves the clock on by `micros` and lets every client re-send what is due (GET and HELLO retries).
    func advance(by micros: Int64) {
        now += micros
        for address in nodes.keys.sorted() where nodes[address]?.client != nil && isAlive(address) {
            nodes[address]?.client?.tick(at: deadline, sendingWith: link(from: address))
        }
    }

    /// Delivers datagrams until none is in flight (at most `limit`), then, when `finish`, ends every client: its
    /// missing chunks and `done`.
    func run(limit: Int = 10_000, finish: Bool = true) {
        var delivered = 0
        while !inFlight.isEmpty, delivered < limit {
            let next = inFlight.indices.min {
                (inFlight[$0].deliverAt, inFlight[$0].order) < (inFlight[$1].deliverAt, inFlight[$1].order)
            }!
            let datagram = inFlight.remove(at: next)
            delivered += 1
            now = max(now, datagram.deliverAt)
            deliver(datagram)
        }
        guard finish else { return }
        for (_, state) in nodes.sorted(by: { $0.key < $1.key }) {
            state.client?.finish(timedOut: false)
        }
    }

    private func deliver(_ datagram: Datagram) {
        let to = datagram.to
        guard let state = nodes[to], isAlive(to) else { return }
        if state.peer != nil {
            nodes[to]?.peer?.receive(datagram.bytes, from: datagram.from, at: 0, sendingWith: link(from: to))
        } else if state.client != nil {
            let step = nodes[to]?.client?.receive(
                datagram.bytes, from: datagram.from, at: deadline, sendingWith: link(from: to))
            guard case .received(_, _, _, let saved) = step, let client = nodes[to]?.client else { return }
            for chunk in saved { client.saved(chunk) }
            if client.node.isComplete, endWhenComplete.contains(to) {
                client.finish(timedOut: false)
                killedAt[to] = now
                nodes[to]?.client = nil
            }
        }
    }
}

/// A simulated node's outgoing side: every datagram goes into the simulator's flight list.
private struct SimulatedLink: DatagramSending {
    unowned let network: NetworkSimulator
    let from: NodeAddress

    func send(_ datagram: ByteBuffer, to destination: NodeAddress) -> String? {
        network.transmit(datagram, from: from, to: destination)
        return nil
    }
}

/// Collects a simulated node's events as the trace lines a `TracingObserver` would write, while the node is alive.
private final class SimulatedTrace: NodeObserver, @unchecked Sendable {
    unowned let network: NetworkSimulator
    let node: NodeAddress
    let identity: TraceIdentity

    init(network: NetworkSimulator, node: NodeAddress, identity: TraceIdentity) {
        self.network = network
        self.node = node
        self.identity = identity
    }

    func observe(_ event: NodeEvent, seq: UInt64, timestamp: Int64) {
        guard network.isAlive(node) else { return }
        network.append(TraceEvent(event, seq: seq, timestamp: timestamp, identity: identity))
    }
}

extension NetworkSimulator {
    /// The course topology as `Topologies/course.json` defines it: peer N at 10.0.0.N:500N.
    static let coursePeers: [(address: String, held: [UInt16], neighbors: [String])] = {
        struct File: Decodable {
            struct Node: Decodable {
                let name: String, address: String, port: Int, chunks: [UInt16]
            }
            let nodes: [Node]
            let edges: [[String]]
        }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Topologies/course.json")
        guard let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data) else {
            return []
        }
        let endpoint = Dictionary(uniqueKeysWithValues: file.nodes.map { ($0.name, "\($0.address):\($0.port)") })
        return file.nodes.map { node in
            let neighbors = file.edges.compactMap { edge in
                edge.count == 2 && edge.contains(node.name) ? endpoint[edge[0] == node.name ? edge[1] : edge[0]] : nil
            }
            return (endpoint[node.name] ?? "", node.chunks, neighbors)
        }
    }()

    /// A simulator with the five course peers started.
    static func course(
        startTime: Int64 = 1_764_000_000_000_000, runSuffix: String = "",
        observers: @escaping (NodeAddress, TraceRole) -> [any NodeObserver] = { _, _ in [] }
    ) -> NetworkSimulator {
        let simulator = NetworkSimulator(startTime: startTime, observers: observers)
        for peer in coursePeers {
            simulator.addPeer(
                peer.address, held: peer.held, neighbors: peer.neighbors, run: "run-\(peer.address)\(runSuffix)")
        }
        return simulator
    }
}
