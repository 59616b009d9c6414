import Synchronization
import TestSupport
import Testing

@testable import ChunkTrace

struct TraceMessageEventTests {
    private static let prefix = TraceLinePrefix(node: "10.0.0.1:5001", role: .peer, run: "5f0c2a9e-3b1d-4c7e")

    private static func message(_ index: UInt64, using rng: inout SeededGenerator) -> TraceMessageEvent {
        let peer = TraceAddress(
            ip: UInt32(truncatingIfNeeded: rng.next()), port: UInt16(truncatingIfNeeded: rng.next()))
        let sent = rng.next() % 2 == 0
        let cause: UInt64? = sent && rng.next() % 2 == 0 ? rng.next() % 1000 : nil
        switch index % 5 {
        case 0: return TraceMessageEvent(sent: sent, message: .hello, peer: peer, bytes: 10, chunks: [1, 2, 3])
        case 1:
            let client = TraceAddress(ip: 0x7F00_0001, port: 7320)
            return TraceMessageEvent(
                sent: sent, message: .query, peer: peer, bytes: 18, chunks: [1, 3, 65535], client: client,
                ttl: Int(rng.next() % 4), cause: cause)
        case 2:
            return TraceMessageEvent(
                sent: sent, message: .response, peer: peer, bytes: 1030, responseChunk: 5, size: 1024, cause: cause)
        case 3:
            return TraceMessageEvent(sent: sent, message: .chunkInfo, peer: peer, bytes: 4, chunks: [], cause: cause)
        default: return TraceMessageEvent(sent: sent, message: .get, peer: peer, bytes: 6, chunks: [9], cause: cause)
        }
    }

    @Test("the fast path writes exactly the line of the equivalent TraceEvent, across second boundaries")
    func sameBytesAsTraceEvent() {
        var rng = SeededGenerator(seed: 0xFA57)
        var timestamps = TraceTimestampCache()
        var timestamp: Int64 = -2_000_000
        var fast: [UInt8] = []
        var slow: [UInt8] = []
        for index in 0..<5000 as Range<UInt64> {
            timestamp += Int64(rng.next() % 400_000) - (index % 97 == 0 ? 3_000_000 : 0)
            let message = Self.message(index, using: &rng)
            TraceLineEncoder.append(
                message, prefix: Self.prefix, seq: index + 1, timestamp: timestamp, to: &fast,
                timestamps: &timestamps)
            TraceLineEncoder.append(
                message.event(prefix: Self.prefix, seq: index + 1, timestamp: timestamp), to: &slow)
        }
        #expect(fast == slow)
    }

    @Test(
        "extreme values (largest numbers, negative counts, long chunk lists, far-off times) match the TraceEvent line")
    func extremesSameBytes() {
        let wide = TraceAddress(ip: 0xFFFF_FFFF, port: 65535)
        let prefix = TraceLinePrefix(node: "255.255.255.255:65535", role: .client, run: "a \"quoted\" run\n")
        let messages = [
            TraceMessageEvent(
                sent: true, message: .query, peer: wide, bytes: Int.max, chunks: Array(0...4000).map(UInt16.init),
                size: Int.min, client: wide, ttl: Int.min, cause: UInt64.max),
            TraceMessageEvent(sent: false, message: .response, peer: wide, bytes: -1, responseChunk: 65535, size: 0),
            TraceMessageEvent(sent: false, message: .chunkInfo, peer: TraceAddress(ip: 0, port: 0), bytes: 0),
        ]
        let times: [Int64] = [0, -1, 1 << 60, -(1 << 60), 253_402_300_799_999_999, 1_795_624_092_123_456]
        for message in messages {
            for (index, time) in times.enumerated() {
                let seq: UInt64 = index % 2 == 0 ? UInt64.max : UInt64(index)
                var fast: [UInt8] = [1, 2]
                TraceLineEncoder.append(message, prefix: prefix, seq: seq, timestamp: time, to: &fast)
                var slow: [UInt8] = [1, 2]
                TraceLineEncoder.append(message.event(prefix: prefix, seq: seq, timestamp: time), to: &slow)
                #expect(fast == slow, "\(String(decoding: fast, as: UTF8.self))")
                #expect(fast.count - 2 <= TraceLineEncoder.maxLineBytes(message, prefix: prefix))
            }
        }
    }

    @Test("addresses are written as dotted quads with their port")
    func addressText() {
        #expect(TraceAddress(ip: 0x0A00_0001, port: 5001).description == "10.0.0.1:5001")
        #expect(TraceAddress(ip: 0xFFFF_FFFF, port: 65535).description == "255.255.255.255:65535")
        var buffer: [UInt8] = []
        TraceAddress(ip: 0, port: 0).appendJSON(to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "\"0.0.0.0:0\"")
    }

    @Test("the writer's fast path reads back as the same events")
    func writerRoundTrip() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let writer = TraceSegmentWriter(directory: folder.path, role: .peer, node: "10.0.0.1:5001")
        var rng = SeededGenerator(seed: 7)
        var expected: [TraceEvent] = []
        for index in 0..<1000 as Range<UInt64> {
            let message = Self.message(index, using: &rng)
            let timestamp = SampleEvents.timestamp + Int64(index) * 1733
            writer.recordMessage(message, prefix: Self.prefix, seq: index + 1, timestamp: timestamp)
            expected.append(message.event(prefix: Self.prefix, seq: index + 1, timestamp: timestamp))
        }
        writer.finish()
        let report = try TraceReader.read(paths: [folder.path])
        #expect(report.events == expected)
        #expect(writer.statistics.events == 1000)
    }

    @Test("a sink without a fast path receives the equivalent TraceEvent")
    func defaultRecordMessage() {
        let sink = CollectingSink()
        let message = TraceMessageEvent(
            sent: true, message: .response, peer: TraceAddress(ip: 0x7F00_0001, port: 40000), bytes: 1030,
            responseChunk: 3, size: 1024, cause: 8)
        sink.recordMessage(message, prefix: Self.prefix, seq: 9, timestamp: 5)
        #expect(
            sink.events == [
                TraceEvent(
                    timestamp: 5, node: "10.0.0.1:5001", role: .peer, run: "5f0c2a9e-3b1d-4c7e", seq: 9, kind: .send,
                    message: .response, to: "127.0.0.1:40000", bytes: 1030, chunks: [3], size: 1024, cause: 8)
            ])
    }
}

/// A sink that keeps what it gets.
final class CollectingSink: TraceSink {
    private let recorded = Mutex<[TraceEvent]>([])

    var events: [TraceEvent] { recorded.withLock { $0 } }

    func record(_ event: TraceEvent) { recorded.withLock { $0.append(event) } }

    func finish() {}
}
