import ChunkNode
import ChunkTrace
import NIOCore

/// A simulated network of peers running the real `PeerNode`/`ClientNode` logic, whose trace events go straight
/// to real `TraceSegmentWriter`s (one per node), with a simulated clock in microseconds.
final class BenchNetwork {
    private struct Node {
        var identity: TraceIdentity
        var seq: UInt64 = 0
        var peer: PeerNode?
        var client: ClientNode?
        var writer: TraceSegmentWriter
    }

    private struct Datagram {
        var message: ChunkMessage
        var from: NodeAddress
        var to: NodeAddress
        var deliverAt: Int64
    }

    private var nodes: [NodeAddress: Node] = [:]
    private var inFlight: [Datagram] = []
    private var random: SplitMix64
    let directory: String
    private(set) var now: Int64 = 1_764_000_000_000_000
    private(set) var events = 0

    init(directory: String, seed: UInt64) {
        self.directory = directory
        random = SplitMix64(seed: seed)
    }

    private func writer(role: TraceRole, node: NodeAddress) -> TraceSegmentWriter {
        TraceSegmentWriter(
            directory: directory, role: role, node: node.description,
            configuration: .init(segmentBytes: 4 << 20, segmentSeconds: 1e9, keepSegments: 1000))
    }

    /// Builds `count` peers on a ring with random chords, each holding `held` random chunks out of `chunkSpace`.
    func addPeers(count: Int, held: Int, chunkSpace: UInt16) -> [NodeAddress] {
        let addresses = (0..<count).map { NodeAddress(ip: 0x0A02_0000 + UInt32($0 + 1), port: UInt16(6000 + $0)) }
        var neighbors = [Set<Int>](repeating: [], count: count)
        for i in 0..<count {
            neighbors[i].insert((i + 1) % count)
            neighbors[(i + 1) % count].insert(i)
        }
        for i in 0..<count where random.next() % 2 == 0 {
            let j = Int(random.next() % UInt64(count))
            if j != i {
                neighbors[i].insert(j)
                neighbors[j].insert(i)
            }
        }
        for (i, address) in addresses.enumerated() {
            var chunks = Set<ChunkID>()
            while chunks.count < held { chunks.insert(ChunkID(1 + random.next() % UInt64(chunkSpace))) }
            var payloads: [ChunkID: ByteBuffer] = [:]
            for chunk in chunks { payloads[chunk] = ByteBuffer(repeating: 7, count: 1024) }
            let peer = PeerNode(
                address: address, neighbors: neighbors[i].sorted().map { addresses[$0] },
                store: ChunkStore(payloads: payloads))
            nodes[address] = Node(
                identity: TraceIdentity(node: address, role: .peer, run: "bench-peer-\(i)"), peer: peer,
                writer: writer(role: .peer, node: address))
            record(
                .started(NodeStartInfo(neighbors: peer.neighbors, held: chunks.sorted(), software: "bench")),
                at: address)
        }
        return addresses
    }

    /// One client run: HELLO to `contact`, run until quiet, then missing chunks and `done`.
    func flood(client address: NodeAddress, run: String, contact: NodeAddress, chunks: [ChunkID]) {
        let client = ClientNode(configuration: ClientConfiguration(contact: contact, chunks: chunks))
        if var node = nodes[address] {
            node.identity = TraceIdentity(node: address, role: .client, run: run)
            node.seq = 0
            node.client = client
            nodes[address] = node
        } else {
            nodes[address] = Node(
                identity: TraceIdentity(node: address, role: .client, run: run), client: client,
                writer: writer(role: .client, node: address))
        }
        record(.started(NodeStartInfo(contact: contact, software: "bench")), at: address)
        var started = client
        let sends = started.start(at: deadline)
        nodes[address]?.client = started
        send(sends, from: address, cause: nil)
        while !inFlight.isEmpty {
            let next = inFlight.indices.min { inFlight[$0].deliverAt < inFlight[$1].deliverAt } ?? 0
            let datagram = inFlight.remove(at: next)
            now = max(now, datagram.deliverAt)
            deliver(datagram)
        }
        if let finished = nodes[address]?.client {
            for chunk in finished.missing { record(.missing(chunk: chunk), at: address) }
            record(.done(received: finished.arrivals.count, missing: finished.missing.count), at: address)
        }
        now += 20_000
    }

    /// Records `stop` on every peer and finishes every writer.
    func finish() {
        for (address, node) in nodes where node.peer != nil { record(.stopped(reason: "SIGTERM"), at: address) }
        for node in nodes.values { node.writer.finish() }
    }

    private var deadline: NIODeadline { .uptimeNanoseconds(UInt64(now) * 1000) }

    @discardableResult
    private func record(_ event: NodeEvent, at address: NodeAddress) -> UInt64 {
        guard var node = nodes[address] else { return 0 }
        node.seq += 1
        now += 1 + Int64(random.next() % 5)
        nodes[address] = node
        node.writer.record(TraceEvent(event, seq: node.seq, timestamp: now, identity: node.identity))
        events += 1
        return node.seq
    }

    private func send(_ sends: [Outgoing], from address: NodeAddress, cause: UInt64?) {
        for outgoing in sends {
            record(
                .sent(outgoing.message, to: outgoing.destination, bytes: outgoing.message.encodedLength, cause: cause),
                at: address)
            inFlight.append(
                Datagram(
                    message: outgoing.message, from: address, to: outgoing.destination,
                    deliverAt: now + 80 + Int64(random.next() % 200)))
        }
    }

    private func deliver(_ datagram: Datagram) {
        guard let node = nodes[datagram.to] else { return }
        let seq = record(
            .received(datagram.message, from: datagram.from, bytes: datagram.message.encodedLength), at: datagram.to)
        if let peer = node.peer {
            send(peer.receive(datagram.message, from: datagram.from).sends, from: datagram.to, cause: seq)
        } else if var client = node.client {
            let reaction = client.receive(datagram.message, from: datagram.from, at: deadline)
            nodes[datagram.to]?.client = client
            send(reaction.sends, from: datagram.to, cause: seq)
            for saved in reaction.saved {
                record(.saved(chunk: saved.chunk, from: saved.from, size: saved.payload.readableBytes), at: datagram.to)
            }
        }
    }

    func randomInt(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
}

/// A small, seeded pseudo-random generator so every benchmark run builds the same trace set.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
