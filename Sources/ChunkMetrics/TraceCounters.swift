/// A trace writer's counters as the metrics module sees them, read at scrape time.
package struct TraceCounters: Sendable, Hashable {
    package var events: UInt64
    package var bytesWritten: UInt64
    package var rotations: UInt64
    package var writeErrors: UInt64
    package var droppedEvents: UInt64
    /// Encoded bytes waiting for the compression thread (a gauge).
    package var queueBytes: UInt64

    package init(
        events: UInt64 = 0, bytesWritten: UInt64 = 0, rotations: UInt64 = 0, writeErrors: UInt64 = 0,
        droppedEvents: UInt64 = 0, queueBytes: UInt64 = 0
    ) {
        self.events = events
        self.bytesWritten = bytesWritten
        self.rotations = rotations
        self.writeErrors = writeErrors
        self.droppedEvents = droppedEvents
        self.queueBytes = queueBytes
    }
}
