import Foundation
import ChunkNode
import ChunkTrace
import NIOCore

/// An in-memory network that runs the real `PeerNode` and `ClientNode` logic and records the trace events a
/// `TracingObserver` would write, with a simulated clock (microseconds).
///
/// Deterministic: datagrams are delivered in time order, ties in send order. Nodes can be killed (they stop
/// receiving and tracing) and datagrams can be dropped by a rule.
final class NetworkSimulator {
    private struct Node {
        var identity: TraceIdentity
        var seq: UInt64 = 0
        var peer: PeerNode?
        var client: ClientNode?
        var killedAt: Int64?
        var traced = true
    }

    private struct Datagram {
        var message: ChunkMessage
        var from: NodeAddress
        var to: NodeAddress
        var deliverAt: Int64
        var order: Int
    }

    private var nodes: [NodeAddress: Node] = [:]
    private var inFlight: [Datagram] = []
    private var sent = 0
    private(set) var now: Int64
    private(set) var events: [TraceEvent] = []
    /// One-way delay of every datagram, in microseconds.
    var latency: Int64 = 200
    /// Returns `true` for a datagram the network should lose.
    var drops: (ChunkMessage, NodeAddress, NodeAddress) -> Bool = { _, _, _ in false }

    init(startTime: Int64 = 1_764_000_000_000_000) {
        now = startTime
    }

    static func address(_ text: String) -> NodeAddress {
        (try? NodeAddress(parsing: text)) ?? .unspecified
    }

    /// Adds a peer holding `held` (1024-byte payloads) with `neighbors`, and records its `start` event.
    func addPeer(_ address: String, held: [UInt16], neighbors: [String], run: String? = nil) {
        let node = Self.address(address)
        var payloads: [ChunkID: ByteBuffer] = [:]
        for chunk in held { payloads[chunk] = ByteBuffer(repeating: UInt8(truncatingIfNeeded: chunk), count: 1024) }
        let peer = PeerNode(
            address: node, neighbors: neighbors.map(Self.address), store: ChunkStore(payloads: payloads))
        nodes[node] = Node(identity: TraceIdentity(node: node, role: .peer, run: run ?? "run-\(address)"), peer: peer)
        record(
            .started(NodeStartInfo(neighbors: peer.neighbors, held: held, software: "sim")), at: node)
    }

    /// Starts a client at `address` asking `chunks` of `contact`, and records its `start` and HELLO.
    func startClient(_ address: String, contact: String, chunks: [UInt16], run: String? = nil, helloRetries: Int = 0) {
        let node = Self.address(address)
        var client = ClientNode(
            configuration: ClientConfiguration(
                contact: Self.address(contact), chunks: chunks, helloRetries: helloRetries))
        let sends = client.start(at: deadline)
        nodes[node] = Node(
            identity: TraceIdentity(node: node, role: .client, run: run ?? "run-\(address)"), client: client)
        record(.started(NodeStartInfo(contact: Self.address(contact), software: "sim")), at: node)
        send(sends, from: node, cause: nil)
    }

    /// Ends client `address` cleanly once it has every asked chunk (its `done`), as the real client does: later
    /// datagrams to it are not received.
    func endClientWhenComplete(_ address: String) {
        endWhenComplete.insert(Self.address(address))
    }

    private var endWhenComplete: Set<NodeAddress> = []

    /// Kills `address` at time `at`: from then on it neither receives nor traces.
    func kill(_ address: String, at time: Int64) {
        nodes[Self.address(address)]?.killedAt = time
    }

    /// Records a `stop` event for every peer still alive, as SIGTERM does.
    func stopPeers() {
        for (address, state) in nodes.sorted(by: { $0.key < $1.key }) where state.peer != nil {
            record(.stopped(reason: "SIGTERM"), at: address)
        }
    }

    /// Removes every event of `address` from the recorded trace set (as if its trace files were lost).
    func forget(_ address: String) {
        events.removeAll { $0.node == address }
    }

    private var deadline: NIODeadline { .uptimeNanoseconds(UInt64(max(0, now)) * 1000) }

    private func isAlive(_ node: NodeAddress) -> Bool {
        guard let killedAt = nodes[node]?.killedAt else { return true }
        return now < killedAt
    }

    @discardableResult
    private func record(_ event: NodeEvent, at node: NodeAddress) -> UInt64 {
        guard var state = nodes[node], isAlive(node) else { return 0 }
        state.seq += 1
        now += 1
        nodes[node] = state
        events.append(TraceEvent(event, seq: state.seq, timestamp: now, identity: state.identity))
        return state.seq
    }

    private func send(_ sends: [Outgoing], from node: NodeAddress, cause: UInt64?) {
        for outgoing in sends {
            record(
                .sent(outgoing.message, to: outgoing.destination, bytes: outgoing.message.encodedLength, cause: cause),
                at: node)
            sent += 1
            guard !drops(outgoing.message, node, outgoing.destination) else { continue }
            inFlight.append(
                Datagram(
                    message: outgoing.message, from: node, to: outgoing.destination, deliverAt: now + latency,
                    order: sent))
        }
    }

    /// Moves the clock on by `micros` and lets every client re-send what is due (GET and HELLO retries).
    func advance(by micros: Int64) {
        now += micros
        for (address, state) in nodes.sorted(by: { $0.key < $1.key }) {
            guard var client = state.client, isAlive(address) else { continue }
            let reaction = client.tick(at: deadline)
            nodes[address]?.client = client
            send(reaction.sends, from: address, cause: nil)
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
        for (address, state) in nodes.sorted(by: { $0.key < $1.key }) {
            guard let client = state.client else { continue }
            for chunk in client.missing { record(.missing(chunk: chunk), at: address) }
            record(.done(received: client.arrivals.count, missing: client.missing.count), at: address)
        }
    }

    private func deliver(_ datagram: Datagram) {
        guard var state = nodes[datagram.to], isAlive(datagram.to) else { return }
        let seq = record(
            .received(datagram.message, from: datagram.from, bytes: datagram.message.encodedLength),
            at: datagram.to)
        if let peer = state.peer {
            let reaction = peer.receive(datagram.message, from: datagram.from)
            send(reaction.sends, from: datagram.to, cause: seq)
        } else if var client = state.client {
            let reaction = client.receive(datagram.message, from: datagram.from, at: deadline)
            state = nodes[datagram.to] ?? state
            state.client = client
            nodes[datagram.to] = state
            send(reaction.sends, from: datagram.to, cause: seq)
            for saved in reaction.saved {
                record(.saved(chunk: saved.chunk, from: saved.from, size: saved.payload.readableBytes), at: datagram.to)
            }
            if client.isComplete, endWhenComplete.contains(datagram.to) {
                record(.done(received: client.arrivals.count, missing: 0), at: datagram.to)
                nodes[datagram.to]?.killedAt = now
                nodes[datagram.to]?.client = nil
            }
            if let dropped = reaction.dropped {
                record(
                    .dropped(dropped, from: datagram.from, bytes: datagram.message.encodedLength, head: []),
                    at: datagram.to)
            }
        }
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
    static func course(startTime: Int64 = 1_764_000_000_000_000, runSuffix: String = "") -> NetworkSimulator {
        let simulator = NetworkSimulator(startTime: startTime)
        for peer in coursePeers {
            simulator.addPeer(
                peer.address, held: peer.held, neighbors: peer.neighbors, run: "run-\(peer.address)\(runSuffix)")
        }
        return simulator
    }
}
