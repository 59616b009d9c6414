/// A trace writer's counters as the metrics module sees them, read at scrape time.
public struct TraceCounters: Sendable, Hashable {
    public var events: UInt64
    public var bytesWritten: UInt64
    public var rotations: UInt64
    public var writeErrors: UInt64
    public var droppedEvents: UInt64
    /// Encoded bytes waiting for the compression thread (a gauge).
    public var queueBytes: UInt64

    public init(
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
