#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Numbers a node's events, stamps them with its clock and hands them to its observers.
///
/// Not thread-safe: one recorder belongs to one node and is used from the thread that handles its datagrams.
/// With no observers, `record` only counts (the clock is not read).
package final class NodeEventRecorder: @unchecked Sendable {
    private let observers: [any NodeObserver]
    private let clock: () -> Int64
    private var lastSeq: UInt64 = 0

    /// - Parameters:
    ///   - observers: where every event goes.
    ///   - clock: the timestamp of each event, in microseconds since the Unix epoch; called once per observed event
    ///     on the recorder's thread (a simulator passes its own clock).
    package init(observers: [any NodeObserver], clock: @escaping () -> Int64 = NodeEventRecorder.wallClockMicroseconds)
    {
        self.observers = observers
        self.clock = clock
    }

    /// Whether anyone listens; callers may skip building events when not.
    package var isObserved: Bool { !observers.isEmpty }

    /// Records one event, stamped now, and returns its `seq`.
    @discardableResult
    package func record(_ event: NodeEvent) -> UInt64 {
        record(event, at: observers.isEmpty ? 0 : clock())
    }

    /// Records one event stamped `timestamp` (a `now()` reading) and returns its `seq`.
    @discardableResult
    package func record(_ event: NodeEvent, at timestamp: Int64) -> UInt64 {
        lastSeq += 1
        for observer in observers { observer.observe(event, seq: lastSeq, timestamp: timestamp) }
        return lastSeq
    }

    /// The clock's reading, to stamp several events with one time; `0` (the clock is not read) when no one listens.
    package func now() -> Int64 {
        observers.isEmpty ? 0 : clock()
    }

    /// Hands a metrics-only fact to the observers; it takes no `seq`.
    package func note(_ fact: NodeFact) {
        for observer in observers { observer.observe(fact) }
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
