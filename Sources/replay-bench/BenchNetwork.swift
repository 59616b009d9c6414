import ChunkNode
import NodeObservers
import ChunkTrace
import NIOCore

/// A simulated network of peers running each node through its real driver (`PeerDriver`, `ClientDriver`), whose
/// events go through a `TracingObserver` into real `TraceSegmentWriter`s (one per node), with a simulated clock in
/// microseconds.
final class BenchNetwork {
    private struct Node {
        var peer: PeerDriver?
        var client: ClientDriver?
        var writer: TraceSegmentWriter
    }

    private struct Datagram {
        var bytes: ByteBuffer
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

    /// A recorder that traces into `writer` as `identity`, a few simulated microseconds per event.
    private func recorder(writer: TraceSegmentWriter, identity: TraceIdentity) -> NodeEventRecorder {
        NodeEventRecorder(
            observers: [TracingObserver(sink: writer, identity: identity)],
            clock: { [unowned self] in
                now += 1 + Int64(random.next() % 5)
                events += 1
                return now
            })
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
            let writer = writer(role: .peer, node: address)
            let identity = TraceIdentity(node: address, role: .peer, run: "bench-peer-\(i)")
            let driver = PeerDriver(node: peer, recorder: recorder(writer: writer, identity: identity))
            nodes[address] = Node(peer: driver, writer: writer)
            driver.start(software: "bench")
        }
        return addresses
    }

    /// One client run: HELLO to `contact`, run until quiet, then missing chunks and `done`.
    func flood(client address: NodeAddress, run: String, contact: NodeAddress, chunks: [ChunkID]) {
        let node = ClientNode(configuration: ClientConfiguration(contact: contact, chunks: chunks))
        let writer = nodes[address]?.writer ?? writer(role: .client, node: address)
        let identity = TraceIdentity(node: address, role: .client, run: run)
        nodes[address] = Node(
            client: ClientDriver(node: node, recorder: recorder(writer: writer, identity: identity)), writer: writer)
        nodes[address]?.client?.start(at: deadline, software: "bench", sendingWith: BenchLink(network: self, from: address))
        while !inFlight.isEmpty {
            let next = inFlight.indices.min { inFlight[$0].deliverAt < inFlight[$1].deliverAt } ?? 0
            let datagram = inFlight.remove(at: next)
            now = max(now, datagram.deliverAt)
            deliver(datagram)
        }
        nodes[address]?.client?.finish(timedOut: false)
        now += 20_000
    }

    /// Records `stop` on every peer and finishes every writer.
    func finish() {
        for node in nodes.values { node.peer?.recorder.record(.stopped(reason: "SIGTERM")) }
        for node in nodes.values { node.writer.finish() }
    }

    private var deadline: NIODeadline { .uptimeNanoseconds(UInt64(now) * 1000) }

    fileprivate func transmit(_ bytes: ByteBuffer, from address: NodeAddress, to destination: NodeAddress) {
        inFlight.append(
            Datagram(bytes: bytes, from: address, to: destination, deliverAt: now + 80 + Int64(random.next() % 200)))
    }

    private func deliver(_ datagram: Datagram) {
        let to = datagram.to
        let link = BenchLink(network: self, from: to)
        guard let node = nodes[to] else { return }
        if node.peer != nil {
            nodes[to]?.peer?.receive(datagram.bytes, from: datagram.from, at: 0, sendingWith: link)
        } else if node.client != nil {
            let step = nodes[to]?.client?.receive(datagram.bytes, from: datagram.from, at: deadline, sendingWith: link)
            guard case .received(_, _, _, let saved) = step else { return }
            for chunk in saved { nodes[to]?.client?.saved(chunk) }
        }
    }

    func randomInt(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
}

/// A benchmark node's outgoing side: every datagram goes into the network's flight list.
private struct BenchLink: DatagramSending {
    unowned let network: BenchNetwork
    let from: NodeAddress

    func send(_ datagram: ByteBuffer, to destination: NodeAddress) -> String? {
        network.transmit(datagram, from: from, to: destination)
        return nil
    }
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
