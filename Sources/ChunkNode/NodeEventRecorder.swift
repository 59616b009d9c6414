#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Numbers a node's events, stamps them with its clock and hands them to its observers.
///
/// Not thread-safe: one recorder belongs to one node and is used from the thread that handles its datagrams.
/// With no observers, `record` only counts (the clock is not read). Within a read burst (`beginBurst`), events
/// recorded with `record(_:)` share one reading, taken at the first of them after the read: all of the burst's
/// datagrams had arrived by then.
package final class NodeEventRecorder: @unchecked Sendable {
    private let observers: [any NodeObserver]
    /// The observers that take `NodeFact`s.
    private let factObservers: [any NodeObserver]
    private let clock: () -> Int64
    private var lastSeq: UInt64 = 0
    private var inBurst = false
    /// The burst's reading, once taken.
    private var burstTime: Int64?

    /// - Parameters:
    ///   - observers: where every event goes.
    ///   - clock: the timestamp of each event, in microseconds since the Unix epoch; called once per observed event
    ///     on the recorder's thread (a simulator passes its own clock).
    package init(observers: [any NodeObserver], clock: @escaping () -> Int64 = NodeEventRecorder.wallClockMicroseconds)
    {
        self.observers = observers
        factObservers = observers.filter { $0.takesFacts }
        self.clock = clock
    }

    /// Whether anyone listens; callers may skip building events when not.
    package var isObserved: Bool { !observers.isEmpty }

    /// Whether anyone takes `NodeFact`s; callers may skip measuring them when not.
    package var takesFacts: Bool { !factObservers.isEmpty }

    /// Records one event, stamped now (or with the burst's reading), and returns its `seq`.
    @discardableResult
    package func record(_ event: NodeEvent) -> UInt64 {
        guard !observers.isEmpty else { return record(event, at: 0) }
        guard inBurst else { return record(event, at: clock()) }
        if let burstTime { return record(event, at: burstTime) }
        let time = clock()
        burstTime = time
        return record(event, at: time)
    }

    /// Records one event stamped `timestamp` (a `now()` reading) and returns its `seq`.
    @discardableResult
    package func record(_ event: NodeEvent, at timestamp: Int64) -> UInt64 {
        lastSeq += 1
        for observer in observers { observer.observe(event, seq: lastSeq, timestamp: timestamp) }
        return lastSeq
    }

    /// The clock's reading, to stamp several events with one time; `0` (the clock is not read) when no one listens.
    /// Within a burst, the events recorded after it take this reading too, so times never go back in `seq` order.
    package func now() -> Int64 {
        guard !observers.isEmpty else { return 0 }
        let time = clock()
        if inBurst { burstTime = time }
        return time
    }

    /// Hands a metrics-only fact to the observers that take facts; it takes no `seq`.
    package func note(_ fact: NodeFact) {
        for observer in factObservers { observer.observe(fact) }
    }

    /// Starts a read burst: the events until `endBurst` share one clock reading, and the observers may hold them
    /// till then; that reading is taken at the first event recorded, after the read.
    package func beginBurst() {
        inBurst = true
        burstTime = nil
        for observer in observers { observer.beginBurst() }
    }

    /// Ends the burst begun by `beginBurst`.
    package func endBurst() {
        inBurst = false
        burstTime = nil
        for observer in observers { observer.endBurst() }
    }

    /// Flushes every observer.
    package func finish() {
        for observer in observers { observer.finish() }
    }

    /// Microseconds since the Unix epoch.
    @Sendable package static func wallClockMicroseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
    }
}
