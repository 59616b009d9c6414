import ChunkNode
import NIOCore
import Testing

/// A sender that sends in batches, as a socket with `sendmmsg` does: it refuses datagrams to port 0.
private final class BatchRecorder: DatagramSending {
    private(set) var batches: [[(bytes: [UInt8], to: NodeAddress)]] = []

    var sendsInBatches: Bool { true }

    func send(_ datagram: ByteBuffer, to destination: NodeAddress) -> String? {
        Issue.record("a batching sender is handed batches only")
        return nil
    }

    func send(_ batch: OutgoingBatch, refused: (_ index: Int, _ reason: String) -> Void) {
        var sent: [(bytes: [UInt8], to: NodeAddress)] = []
        for (index, entry) in batch.entries.enumerated() {
            let destination = entry.outgoing.destination
            if destination.port == 0 {
                refused(index, "Invalid argument")
            } else {
                sent.append((Array(batch.datagram(at: index).readableBytesView), destination))
            }
        }
        batches.append(sent)
    }
}

/// Records every event's kind with the message type and the seq of its cause.
private final class EventLog: NodeObserver, @unchecked Sendable {
    private(set) var lines: [String] = []

    func observe(_ event: NodeEvent, seq: UInt64, timestamp: Int64) {
        switch event {
        case .received(let message, _, _): lines.append("\(seq) recv \(message.type.name)")
        case .sent(let message, let to, _, let cause):
            lines.append("\(seq) send \(message.type.name) \(to) cause \(cause ?? 0)")
        case .sendFailed(let message, let to, _, let cause, let reason):
            lines.append("\(seq) failed \(message.type.name) \(to) cause \(cause ?? 0): \(reason)")
        default: break
        }
    }

    func observe(_ fact: NodeFact) {}
    func finish() {}
}

struct BatchingDriverTests {
    let client = NodeAddress(ip: 0x0A00_0009, port: 40000)
    let good = NodeAddress(ip: 0x0A00_0001, port: 5001)
    let refused = NodeAddress(ip: 0x0A00_0002, port: 0)

    @Test("with a batching sender nothing leaves until flush; then every answer leaves in order, a refused one alone")
    func flushSendsInOrder() throws {
        let log = EventLog()
        let node = PeerNode(
            address: NodeAddress(ip: 0x0A00_0003, port: 5003), neighbors: [refused, good],
            store: ChunkStore(payloads: [3: ByteBuffer(string: "three")]))
        var driver = PeerDriver(node: node, recorder: NodeEventRecorder(observers: [log]))
        let sender = BatchRecorder()
        driver.receive(try ChunkMessage.hello(chunks: [3]).encodedBuffer(), from: client, at: 0, sendingWith: sender)
        driver.receive(try ChunkMessage.get(chunks: [3]).encodedBuffer(), from: client, at: 0, sendingWith: sender)
        #expect(sender.batches.isEmpty)
        #expect(log.lines == ["1 recv hello", "2 recv get"])
        driver.flush(sendingWith: sender)
        #expect(sender.batches.count == 1)
        #expect(sender.batches.first?.map(\.to) == [client, good, client])
        #expect(sender.batches.first?.last?.bytes == [0, 5, 0, 3, 0, 5] + Array("three".utf8))
        #expect(
            log.lines == [
                "1 recv hello", "2 recv get", "3 send chunk_info \(client) cause 1",
                "4 failed query \(refused) cause 1: Invalid argument", "5 send query \(good) cause 1",
                "6 send response \(client) cause 2",
            ])
        driver.flush(sendingWith: sender)
        #expect(sender.batches.count == 1, "an empty batch is not sent")
    }

    @Test("a burst of more than 64 answers leaves in batches of 64 without waiting for flush")
    func fullBatchLeaves() throws {
        let ids = (1...150).map { ChunkID($0) }
        let node = PeerNode(
            address: NodeAddress(ip: 0x0A00_0003, port: 5003), neighbors: [],
            store: ChunkStore(payloads: Dictionary(uniqueKeysWithValues: ids.map { ($0, ByteBuffer(string: "x")) })))
        var driver = PeerDriver(node: node, recorder: NodeEventRecorder(observers: []))
        let sender = BatchRecorder()
        driver.receive(try ChunkMessage.get(chunks: ids).encodedBuffer(), from: client, at: 0, sendingWith: sender)
        #expect(sender.batches.map(\.count) == [64, 64])
        driver.flush(sendingWith: sender)
        #expect(sender.batches.map(\.count) == [64, 64, 22])
        let answered = sender.batches.joined().map { ChunkID($0.bytes[2]) << 8 | ChunkID($0.bytes[3]) }
        #expect(answered == ids)
    }
}

extension ChunkMessage {
    fileprivate func encodedBuffer() throws -> ByteBuffer {
        var buffer = ByteBuffer()
        try buffer.writeChunkMessage(self)
        return buffer
    }
}
