/// Where a node hands its trace events. Implementations must not block: `record` is called on the
/// thread that handles datagrams.
package protocol TraceSink: AnyObject, Sendable {
    /// Takes one event. Events arrive in `seq` order.
    func record(_ event: TraceEvent)
    /// Takes one `send` or `recv`; the same as `record(message.event(prefix:seq:timestamp:))`, which is what the
    /// default implementation does. `TraceSegmentWriter` encodes it directly, without building a `TraceEvent`.
    func recordMessage(_ message: TraceMessageEvent, prefix: TraceLinePrefix, seq: UInt64, timestamp: Int64)
    /// Writes out everything recorded so far and closes; later records are ignored.
    func finish()
}

extension TraceSink {
    package func recordMessage(_ message: TraceMessageEvent, prefix: TraceLinePrefix, seq: UInt64, timestamp: Int64) {
        record(message.event(prefix: prefix, seq: seq, timestamp: timestamp))
    }
}
