import ChunkNode
import ChunkTrace

/// Turns node events into trace lines for a `TraceSink`.
///
/// Sends and receives (nearly every event) take the sink's fast path, `recordMessage`, which writes the same line
/// without building a `TraceEvent` and its strings on the datagram thread.
package final class TracingObserver: NodeObserver {
    private let sink: any TraceSink
    private let identity: TraceIdentity
    private let prefix: TraceLinePrefix

    package init(sink: any TraceSink, identity: TraceIdentity) {
        self.sink = sink
        self.identity = identity
        prefix = TraceLinePrefix(node: identity.node, role: identity.role, run: identity.run)
    }

    package func observe(_ event: NodeEvent, seq: UInt64, timestamp: Int64) {
        switch event {
        case .received(let message, let sender, let bytes):
            sink.recordMessage(
                TraceMessageEvent(message, sent: false, peer: sender, bytes: bytes, cause: nil), prefix: prefix,
                seq: seq, timestamp: timestamp)
        case .sent(let message, let destination, let bytes, let cause):
            sink.recordMessage(
                TraceMessageEvent(message, sent: true, peer: destination, bytes: bytes, cause: cause), prefix: prefix,
                seq: seq, timestamp: timestamp)
        default:
            sink.record(TraceEvent(event, seq: seq, timestamp: timestamp, identity: identity))
        }
    }

    package func finish() { sink.finish() }
}
