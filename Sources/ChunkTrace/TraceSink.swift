/// Where a node hands its trace events. Implementations must not block: `record` is called on the
/// thread that handles datagrams.
public protocol TraceSink: AnyObject, Sendable {
    /// Takes one event. Events arrive in `seq` order.
    func record(_ event: TraceEvent)
    /// Writes out everything recorded so far and closes; later records are ignored.
    func finish()
}
