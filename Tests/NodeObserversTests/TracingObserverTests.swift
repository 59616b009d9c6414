import ChunkNode
import ChunkTrace
import Foundation
import NIOCore
import NodeObservers
import Synchronization
import TestSupport
import Testing

struct TracingObserverTests {
    private static let node = NodeAddress(ip: 0x7F00_0001, port: 5001)
    private static let identity = TraceIdentity(node: node, role: .peer, run: "run-1")
    private static let client = NodeAddress(ip: 0x7F00_0002, port: 40000)

    /// A peer's events: start, then a burst (GETs, their answers, a refused datagram, a rate-limited answer), then an
    /// event outside any burst, then stop. `burstRange` says which are inside the burst.
    private static func events() -> (events: [NodeEvent], burstRange: Range<Int>) {
        var payload = ByteBuffer()
        payload.writeBytes(Array(repeating: UInt8(ascii: "x"), count: 1024))
        var burst: [NodeEvent] = []
        for index in 0..<40 {
            let chunk = ChunkID(index % 7)
            burst.append(.received(.get(chunks: [chunk, 9]), from: client, bytes: 7))
            burst.append(.sent(.response(chunk: chunk, payload: payload), to: client, bytes: 1030, cause: 2))
        }
        burst.append(.dropped(.unexpected(.response), from: client, bytes: 3, head: [1, 2, 3]))
        burst.append(.rateLimited(.response(chunk: 1, payload: payload), to: client, cause: 4))
        burst.append(
            .received(.query(client: client, ttl: 3, chunks: [1, 65535]), from: NodeAddress(ip: 1, port: 2), bytes: 14))
        let events: [NodeEvent] =
            [.started(NodeStartInfo(neighbors: [client], held: [1, 2], software: "test"))] + burst
            + [.received(.hello(chunks: [1]), from: client, bytes: 5), .stopped(reason: "SIGTERM")]
        return (events, 1..<(1 + burst.count))
    }

    /// The lines the slow path writes for `events` stamped by `times`, numbered from 1.
    private static func expectedLines(_ events: [NodeEvent], times: [Int64]) -> String {
        zip(events, times).enumerated().map { index, pair in
            TraceLineEncoder.line(TraceEvent(pair.0, seq: UInt64(index + 1), timestamp: pair.1, identity: identity))
                + "\n"
        }.joined()
    }

    private static func times(count: Int) -> [Int64] {
        (0..<count).map { 1_795_624_092_999_000 + Int64($0) * 37 }
    }

    /// Hands `events` to `observer`, numbered from 1 and stamped by `times`, inside a burst over `burstRange`.
    private static func observe(
        _ events: [NodeEvent], times: [Int64], burstRange: Range<Int>, by observer: TracingObserver, endingBurst: Bool
    ) {
        for (index, event) in events.enumerated() {
            if index == burstRange.lowerBound { observer.beginBurst() }
            observer.observe(event, seq: UInt64(index + 1), timestamp: times[index])
            if index == burstRange.upperBound - 1 && endingBurst { observer.endBurst() }
        }
    }

    private static func plainWriter(in folder: TemporaryFolder) -> TraceSegmentWriter {
        var configuration = TraceSegmentWriter.Configuration()
        configuration.format = .jsonl
        return TraceSegmentWriter(
            directory: folder.path, role: .peer, node: node.description, configuration: configuration)
    }

    private static func writtenLines(in folder: TemporaryFolder) throws -> String {
        let names = try folder.names()
        #expect(names.count == 1)
        return try names.map { try String(contentsOfFile: folder.file($0), encoding: .utf8) }.joined()
    }

    @Test("a burst's lines reach the segment after it, in seq order and byte for byte the slow path's lines")
    func burstLinesAsUnbatched() throws {
        let folder = try TemporaryFolder(prefix: "tracing-observer")
        defer { folder.remove() }
        let writer = Self.plainWriter(in: folder)
        let (events, burstRange) = Self.events()
        let times = Self.times(count: events.count)
        let observer = TracingObserver(sink: writer, identity: Self.identity)
        Self.observe(events, times: times, burstRange: burstRange, by: observer, endingBurst: true)
        writer.flush()
        #expect(writer.statistics.events == UInt64(events.count))
        observer.finish()
        #expect(try Self.writtenLines(in: folder) == Self.expectedLines(events, times: times))
        #expect(writer.statistics.droppedEvents == 0)
    }

    @Test("lines held by a burst that never ended are written when the node finishes")
    func finishWritesHeldLines() throws {
        let folder = try TemporaryFolder(prefix: "tracing-observer")
        defer { folder.remove() }
        let writer = Self.plainWriter(in: folder)
        let events = Array(Self.events().events.prefix(20))
        let times = Self.times(count: events.count)
        let observer = TracingObserver(sink: writer, identity: Self.identity)
        Self.observe(events, times: times, burstRange: 1..<events.count, by: observer, endingBurst: false)
        observer.finish()
        #expect(try Self.writtenLines(in: folder) == Self.expectedLines(events, times: times))
        #expect(writer.statistics.events == UInt64(events.count))
    }

    @Test("a sink other than the segment writer gets every event at once, bursts or not")
    func otherSinkUnbatched() {
        let sink = KeepingSink()
        let events = Self.events().events
        let times = Self.times(count: events.count)
        let observer = TracingObserver(sink: sink, identity: Self.identity)
        observer.beginBurst()
        observer.observe(events[0], seq: 1, timestamp: times[0])
        #expect(sink.lines.count == 1)
        for index in 1..<events.count {
            observer.observe(events[index], seq: UInt64(index + 1), timestamp: times[index])
        }
        observer.endBurst()
        #expect(sink.lines.map { $0 + "\n" }.joined() == Self.expectedLines(events, times: times))
    }
}

/// A sink that keeps the lines of what it gets.
private final class KeepingSink: TraceSink {
    private let kept = Mutex<[String]>([])

    var lines: [String] { kept.withLock { $0 } }

    func record(_ event: TraceEvent) { kept.withLock { $0.append(TraceLineEncoder.line(event)) } }

    func finish() {}
}
