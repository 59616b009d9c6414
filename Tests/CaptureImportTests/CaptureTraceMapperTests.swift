import ChunkProtocol
import ChunkTrace
import NIOCore
import Testing

@testable import CaptureImport

struct CaptureTraceMapperTests {
    private let client = NodeAddress(ip: 0x0A00_0006, port: 40000)
    private let peer = NodeAddress(ip: 0x0A00_0001, port: 5001)

    @Test("a datagram from A to B becomes A's send and B's recv, each node starting with a capture start event")
    func sendAndReceive() {
        var mapper = CaptureTraceMapper(source: "run.pcap", tool: "p2ptrace test", run: "capture-1")
        let hello = WireDatagram(
            timestamp: 10, source: client, destination: peer, bytes: 8, message: .hello(chunks: [1, 2]), packet: 1)
        let events = mapper.events(for: hello)
        #expect(events.map(\.kind) == [.start, .send, .start, .recv])
        #expect(events.map(\.node) == ["10.0.0.6:40000", "10.0.0.6:40000", "10.0.0.1:5001", "10.0.0.1:5001"])
        #expect(events.map(\.role) == [.client, .client, .peer, .peer])
        #expect(events.map(\.seq) == [1, 2, 1, 2])
        #expect(events[0].software == "capture: run.pcap (p2ptrace test)")
        #expect(TraceEvent.isCaptureSoftware(events[2].software))
        #expect(events[1].to == "10.0.0.1:5001")
        #expect(events[3].from == "10.0.0.6:40000")
        #expect(events[3].chunks == [1, 2])
        #expect(events.allSatisfy { $0.timestamp == 10 && $0.run == "capture-1" && $0.cause == nil })

        let response = WireDatagram(
            timestamp: 20, source: peer, destination: client, bytes: 10,
            message: .response(chunk: 2, payload: ByteBuffer(bytes: [1, 2, 3, 4])), packet: 2)
        let later = mapper.events(for: response)
        #expect(later.map(\.kind) == [.send, .recv])
        #expect(later.map(\.seq) == [3, 3])
        #expect(later[0].chunks == [2])
        #expect(later[0].size == 4)
    }

    @Test("roles come from the first message a node is seen with")
    func roles() {
        var mapper = CaptureTraceMapper(source: "lo", tool: "t", run: "r")
        let other = NodeAddress(ip: 0x0A00_0002, port: 5002)
        _ = mapper.events(
            for: WireDatagram(
                timestamp: 1, source: peer, destination: other, bytes: 16,
                message: .query(client: client, ttl: 3, chunks: [1]), packet: 1))
        _ = mapper.events(
            for: WireDatagram(
                timestamp: 2, source: other, destination: client, bytes: 6, message: .chunkInfo(chunks: [1]),
                packet: 2))
        #expect(mapper.roles == [peer: .peer, other: .peer, client: .client])
    }
}
