import ChunkProtocol
import Testing

@testable import CaptureImport

struct CaptureDecoderTests {
    private func decodeOne(_ frame: [UInt8], linkType: LinkType) -> (CaptureDecoder.Outcome, CaptureStatistics) {
        var decoder = CaptureDecoder(linkType: linkType)
        let outcome = decoder.decode(CapturedFrame(number: 1, timestamp: 5, bytes: frame))
        return (outcome, decoder.statistics)
    }

    private let expectedQuery = ChunkMessage.query(
        client: NodeAddress(ip: 0x0A00_0006, port: 40000), ttl: 3, chunks: [1, 3])

    @Test(
        "a QUERY is decoded from every supported link type",
        arguments: [
            (LinkType.ethernet, TestFrames.ethernet(TestFrames.queryPacket)),
            (LinkType.ethernet, TestFrames.ethernet(TestFrames.queryPacket, vlan: 42)),
            (LinkType.linuxSLL2, TestFrames.sll2(TestFrames.queryPacket)),
            (LinkType.linuxSLL, TestFrames.sll(TestFrames.queryPacket, hardware: 1)),
            (LinkType.null(bigEndian: false), TestFrames.le32(2) + TestFrames.queryPacket),
            (LinkType.null(bigEndian: true), [0, 0, 0, 2] + TestFrames.queryPacket),
            (LinkType.raw, TestFrames.queryPacket),
        ])
    func decodesQuery(linkType: LinkType, frame: [UInt8]) throws {
        let (outcome, statistics) = decodeOne(frame, linkType: linkType)
        guard case .datagram(let datagram) = outcome else {
            Issue.record("expected a datagram, got \(outcome)")
            return
        }
        #expect(datagram.source == NodeAddress(ip: 0x0A00_0001, port: 5001))
        #expect(datagram.destination == NodeAddress(ip: 0x0A00_0002, port: 5002))
        #expect(datagram.message == expectedQuery)
        #expect(datagram.bytes == 16)
        #expect(datagram.timestamp == 5)
        #expect(statistics.datagrams == 1)
    }

    @Test(
        "the outgoing copy of a loopback packet in a cooked capture is counted once, as incoming",
        arguments: [
            (LinkType.linuxSLL2, TestFrames.sll2(TestFrames.queryPacket, hardware: 772, packetType: 4)),
            (LinkType.linuxSLL, TestFrames.sll(TestFrames.queryPacket, hardware: 772, packetType: 4)),
        ])
    func loopbackCopy(linkType: LinkType, frame: [UInt8]) {
        let (outcome, statistics) = decodeOne(frame, linkType: linkType)
        #expect(outcome == .skipped)
        #expect(statistics.loopbackCopies == 1)
        #expect(statistics.datagrams == 0)
    }

    @Test("a UDP datagram that is not this protocol is counted by reason and skipped")
    func notProtocol() {
        let junk = TestFrames.ipv4(
            from: TestFrames.peer, to: TestFrames.client, payload: TestFrames.udp(from: 5001, to: 40000, [9, 9, 1]))
        let trailing = TestFrames.ipv4(
            from: TestFrames.peer, to: TestFrames.client,
            payload: TestFrames.udp(from: 5001, to: 40000, [0, 3, 0, 1, 0, 7, 0xFF]))
        var decoder = CaptureDecoder(linkType: .raw)
        #expect(decoder.decode(CapturedFrame(number: 1, timestamp: 0, bytes: junk)) == .skipped)
        #expect(decoder.decode(CapturedFrame(number: 2, timestamp: 0, bytes: trailing)) == .skipped)
        #expect(decoder.statistics.notProtocol == ["unknown_type": 1, "trailing_bytes": 1])
        #expect(decoder.statistics.datagrams == 0)
        #expect(decoder.statistics.summary.contains("2 UDP datagrams not this protocol"))
    }

    @Test("a packet cut by the snaplen is reported with its sizes, not decoded")
    func truncatedBySnaplen() {
        var decoder = CaptureDecoder(linkType: .ethernet)
        let frame = TestFrames.ethernet(TestFrames.queryPacket)
        let outcome = decoder.decode(
            CapturedFrame(number: 3, timestamp: 0, bytes: Array(frame.prefix(40)), originalLength: frame.count))
        #expect(outcome == .truncated(captured: 40, original: frame.count))
        #expect(decoder.statistics.truncated == 1)
    }

    @Test("TCP, IPv6 and a frame shorter than its link header are counted, never decoded")
    func otherTraffic() {
        var decoder = CaptureDecoder(linkType: .ethernet)
        let tcp = TestFrames.ethernet(
            TestFrames.ipv4(from: TestFrames.peer, to: TestFrames.client, proto: 6, payload: []))
        let ipv6 = [UInt8](repeating: 2, count: 12) + TestFrames.be16(0x86DD) + [0x60, 0, 0, 0]
        for (n, bytes) in [tcp, ipv6, [1, 2, 3]].enumerated() {
            #expect(decoder.decode(CapturedFrame(number: n + 1, timestamp: 0, bytes: bytes)) == .skipped)
        }
        #expect(decoder.statistics.otherTraffic == 2)
        #expect(decoder.statistics.malformed == 1)
    }
}
