import ChunkNode
import ChunkTrace
import NIOCore
import NodeObservers

/// A simulated network of peers running each node through its real driver (`PeerDriver`, `ClientDriver`), whose
/// events go through a `TracingObserver` into one trace sink per node (real `TraceSegmentWriter`s, or memory), with a
/// simulated clock in microseconds.
package final class BenchNetwork {
    private struct Node {
        var peer: PeerDriver?
        var client: ClientDriver?
        var writer: any TraceSink
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
    private let makeSink: (TraceRole, NodeAddress) -> any TraceSink
    package private(set) var now: Int64 = 1_764_000_000_000_000
    package private(set) var events = 0

    /// A network whose nodes trace into the sinks `makeSink` gives (one per node), seeded for the same run each time.
    package init(seed: UInt64, makeSink: @escaping (TraceRole, NodeAddress) -> any TraceSink) {
        self.makeSink = makeSink
        random = SplitMix64(seed: seed)
    }

    /// A network whose nodes write real trace segments into `directory`.
    package convenience init(directory: String, seed: UInt64) {
        self.init(seed: seed) { role, node in
            TraceSegmentWriter(
                directory: directory, role: role, node: node.description,
                configuration: .init(segmentBytes: 4 << 20, segmentSeconds: 1e9, keepSegments: 1000))
        }
    }

    private func writer(role: TraceRole, node: NodeAddress) -> any TraceSink {
        makeSink(role, node)
    }

    /// A recorder that traces into `writer` as `identity`, a few simulated microseconds per event.
    private func recorder(writer: any TraceSink, identity: TraceIdentity) -> NodeEventRecorder {
        NodeEventRecorder(
            observers: [TracingObserver(sink: writer, identity: identity)],
            clock: { [unowned self] in
                now += 1 + Int64(random.next() % 5)
                events += 1
                return now
            })
    }

    /// Builds `count` peers on a ring with random chords, each holding `held` random chunks out of `chunkSpace`.
    package func addPeers(count: Int, held: Int, chunkSpace: UInt16) -> [NodeAddress] {
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
    package func flood(client address: NodeAddress, run: String, contact: NodeAddress, chunks: [ChunkID]) {
        let node = ClientNode(configuration: ClientConfiguration(contact: contact, chunks: chunks))
        let writer = nodes[address]?.writer ?? writer(role: .client, node: address)
        let identity = TraceIdentity(node: address, role: .client, run: run)
        nodes[address] = Node(
            client: ClientDriver(node: node, recorder: recorder(writer: writer, identity: identity)), writer: writer)
        let link = BenchLink(network: self, from: address)
        nodes[address]?.client?.start(at: deadline, software: "bench", sendingWith: link)
        while !inFlight.isEmpty {
            let next = inFlight.indices.min { inFlight[$0].deliverAt < inFlight[$1].deliverAt } ?? 0
            let datagram = inFlight.remove(at: next)
            now = max(now, datagram.deliverAt)
            deliver(datagram)
        }
        nodes[address]?.client?.finish(timedOut: false)
        now += 20_000
    }

    /// The replay benchmarks' workload: `peerCount` peers (12 chunks each out of 200), then floods from 40 clients
    /// asking 5 random chunks each at a random contact, until the network has traced `events` events.
    ///
    /// - Returns: the number of floods.
    package func runFloods(peerCount: Int, untilEvents target: Int) -> Int {
        let peers = addPeers(count: peerCount, held: 12, chunkSpace: 200)
        let clients = (0..<40).map { NodeAddress(ip: 0x0A03_0000 + UInt32($0 + 1), port: UInt16(40000 + $0)) }
        var floods = 0
        while events < target {
            let chunks = (0..<5).map { _ in ChunkID(1 + randomInt(220)) }
            flood(
                client: clients[floods % clients.count], run: "bench-client-\(floods)",
                contact: peers[randomInt(peers.count)], chunks: chunks)
            floods += 1
        }
        return floods
    }

    /// Records `stop` on every peer and finishes every writer.
    package func finish() {
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

    package func randomInt(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
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
