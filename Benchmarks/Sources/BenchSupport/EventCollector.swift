import ChunkTrace
import Synchronization

/// A trace sink that keeps every event in memory, for benchmarks that replay without touching the disk.
package final class EventCollector: TraceSink {
    private let collected = Mutex<[TraceEvent]>([])

    package init() {}

    /// The events recorded so far, in the order recorded.
    package var events: [TraceEvent] { collected.withLock { $0 } }

    package func record(_ event: TraceEvent) {
        collected.withLock { $0.append(event) }
    }

    package func finish() {}
}
