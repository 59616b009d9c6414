import ChunkNode
import Synchronization
import Testing

/// Keeps the seq and time of every event and the facts it is given.
private final class StampLog: NodeObserver, @unchecked Sendable {
    let takesFacts: Bool
    private(set) var stamps: [(seq: UInt64, time: Int64)] = []
    private(set) var facts: [NodeFact] = []

    init(takesFacts: Bool) {
        self.takesFacts = takesFacts
    }

    func observe(_ event: NodeEvent, seq: UInt64, timestamp: Int64) { stamps.append((seq, timestamp)) }

    func observe(_ fact: NodeFact) { facts.append(fact) }
}

/// A clock that advances by one millisecond per reading and counts its readings.
private final class SteppingClock: Sendable {
    private let readings = Atomic<Int64>(0)

    var count: Int64 { readings.load(ordering: .relaxed) }

    func read() -> Int64 { readings.add(1, ordering: .relaxed).newValue * 1000 }
}

struct NodeEventRecorderTests {
    private let peer = NodeAddress(ip: 0x7F00_0001, port: 40000)

    @Test("a burst's events share one reading taken at its first event; a flush in it moves the time forward")
    func burstSharesOneReading() {
        let log = StampLog(takesFacts: false)
        let clock = SteppingClock()
        let recorder = NodeEventRecorder(observers: [log], clock: clock.read)
        recorder.record(.stopped(reason: "before"))
        recorder.beginBurst()
        #expect(clock.count == 1, "the reading waits for the burst's first event")
        for _ in 0..<3 { recorder.record(.received(.get(chunks: [1]), from: peer, bytes: 6)) }
        let flushed = recorder.now()
        recorder.record(.sent(.hello(chunks: []), to: peer, bytes: 4, cause: 2), at: flushed)
        recorder.record(.received(.get(chunks: [2]), from: peer, bytes: 6))
        recorder.endBurst()
        recorder.record(.stopped(reason: "after"))
        #expect(log.stamps.map { $0.seq } == Array(1...7 as ClosedRange<UInt64>))
        #expect(log.stamps.map { $0.time } == [1000, 2000, 2000, 2000, 3000, 3000, 4000])
        #expect(clock.count == 4)
    }

    @Test("facts reach only the observers that take them, and takesFacts says whether any does")
    func factsOnlyToTakers() {
        let tracer = StampLog(takesFacts: false)
        let counter = StampLog(takesFacts: true)
        let both = NodeEventRecorder(observers: [tracer, counter])
        both.note(.queryExpired)
        #expect(both.takesFacts)
        #expect(tracer.facts.isEmpty)
        #expect(counter.facts == [.queryExpired])
        let tracing = NodeEventRecorder(observers: [tracer])
        #expect(!tracing.takesFacts)
        #expect(tracing.isObserved)
    }
}
