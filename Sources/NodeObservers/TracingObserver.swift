import ChunkNode
import ChunkTrace

/// Turns node events into trace lines for a `TraceSink`.
///
/// Sends and receives (nearly every event) take the sink's fast path, `recordMessage`, which writes the same line
/// without building a `TraceEvent` and its strings on the datagram thread. With a `TraceSegmentWriter`, the lines
/// are encoded here, without a lock, and handed to it together at the end of each read burst (at once outside a
/// burst), in `seq` order.
///
/// Used from the node's datagram thread only, like its `NodeEventRecorder`.
package final class TracingObserver: NodeObserver, @unchecked Sendable {
    private let sink: any TraceSink
    private let writer: TraceSegmentWriter?
    /// `writer != nil`, read without retaining the writer for each event.
    private let batching: Bool
    private let identity: TraceIdentity
    private let prefix: TraceLinePrefix
    private let lines: TraceLineBatch
    private var inBurst = false

    package init(sink: any TraceSink, identity: TraceIdentity) {
        self.sink = sink
        writer = sink as? TraceSegmentWriter
        batching = writer != nil
        self.identity = identity
        prefix = TraceLinePrefix(node: identity.node, role: identity.role, run: identity.run)
        lines = TraceLineBatch(prefix: prefix)
    }

    package func observe(_ event: NodeEvent, seq: UInt64, timestamp: Int64) {
        let message = Self.messageEvent(event)
        guard batching else {
            if let message {
                sink.recordMessage(message, prefix: prefix, seq: seq, timestamp: timestamp)
            } else {
                sink.record(TraceEvent(event, seq: seq, timestamp: timestamp, identity: identity))
            }
            return
        }
        if let message {
            lines.append(message, seq: seq, timestamp: timestamp)
        } else {
            lines.append(TraceEvent(event, seq: seq, timestamp: timestamp, identity: identity))
        }
        if !inBurst { writer?.record(lines) }
    }

    /// The fields of a `send` or `recv`, the events that take the fast path.
    @inline(__always)
    private static func messageEvent(_ event: NodeEvent) -> TraceMessageEvent? {
        switch event {
        case .received(let message, let sender, let bytes):
            TraceMessageEvent(message, sent: false, peer: sender, bytes: bytes, cause: nil)
        case .sent(let message, let destination, let bytes, let cause):
            TraceMessageEvent(message, sent: true, peer: destination, bytes: bytes, cause: cause)
        default:
            nil
        }
    }

    /// Traces take no `NodeFact`s: replay derives them from the traced messages.
    package var takesFacts: Bool { false }

    package func beginBurst() { inBurst = batching }

    package func endBurst() {
        inBurst = false
        writer?.record(lines)
    }

    package func finish() {
        inBurst = false
        writer?.record(lines)
        sink.finish()
    }
}
