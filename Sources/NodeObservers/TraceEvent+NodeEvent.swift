import ChunkNode
import ChunkTrace

/// Who a node is, as every trace line says it.
package struct TraceIdentity: Sendable, Hashable {
    package var node: String
    package var role: TraceRole
    package var run: String

    package init(node: NodeAddress, role: TraceRole, run: String) {
        self.node = node.description
        self.role = role
        self.run = run
    }
}

extension TraceMessageType {
    package init(_ type: MessageType) {
        switch type {
        case .hello: self = .hello
        case .query: self = .query
        case .chunkInfo: self = .chunkInfo
        case .get: self = .get
        case .response: self = .response
        }
    }
}

extension TraceEvent {
    /// The trace line of a node event.
    package init(_ event: NodeEvent, seq: UInt64, timestamp: Int64, identity: TraceIdentity) {
        self.init(
            timestamp: timestamp, node: identity.node, role: identity.role, run: identity.run, seq: seq, kind: .start)
        switch event {
        case .started(let info):
            kind = .start
            if identity.role == .peer {
                neighbors = info.neighbors.map(\.description)
                held = info.held
            }
            contact = info.contact?.description
            software = info.software
        case .received(let message, let sender, let bytes):
            fillReceived(message, from: sender, bytes: bytes)
        case .receivedClamped(let message, let sender, let bytes, let handledTTL):
            fillReceived(message, from: sender, bytes: bytes)
            reason = "ttl clamped to \(handledTTL) (--max-ttl)"
        case .sent(let message, let destination, let bytes, let cause):
            fillSent(message, to: destination, bytes: bytes, cause: cause)
        case .sendFailed(let message, let destination, let bytes, let cause, let reason):
            fillSent(message, to: destination, bytes: bytes, cause: cause)
            self.reason = "send failed: \(reason)"
        case .dropped(let reason, let sender, let bytes, let head):
            (kind, from, self.bytes) = (.drop, sender.description, bytes)
            (self.reason, self.head) = (reason.label, head.hexString)
        case .rateLimited(let message, let destination, let cause):
            fillSent(message, to: destination, bytes: message.encodedLength, cause: cause)
            (kind, reason) = (.drop, Self.rateLimitedReason)
        case .rateLimitedUntraced(let count):
            (kind, reason) = (.drop, "\(Self.rateLimitedReason): \(count) more not traced")
        case .retried(let message, let destination):
            (kind, to) = (.retry, destination.description)
            (self.message, chunks) = (TraceMessageType(message.type), message.chunks)
        case .saved(let chunk, let sender, let size):
            (kind, from, chunks, self.size) = (.saved, sender.description, [chunk], size)
        case .missing(let chunk):
            (kind, chunks) = (.missing, [chunk])
        case .timedOut:
            kind = .timeout
        case .done(let received, let missing):
            (kind, reason) = (.done, "received \(received), missing \(missing)")
        case .stopped(let reason):
            (kind, self.reason) = (.stop, reason)
        }
    }

    private mutating func fillReceived(_ message: ChunkMessage, from sender: NodeAddress, bytes: Int) {
        kind = .recv
        from = sender.description
        fill(message, bytes: bytes)
    }

    private mutating func fillSent(_ message: ChunkMessage, to destination: NodeAddress, bytes: Int, cause: UInt64?) {
        kind = .send
        to = destination.description
        self.cause = cause
        fill(message, bytes: bytes)
    }

    /// The `reason` of an answer not sent because of the response budget.
    package static let rateLimitedReason = "rate_limited"

    private mutating func fill(_ message: ChunkMessage, bytes: Int) {
        self.message = TraceMessageType(message.type)
        self.bytes = bytes
        switch message {
        case .query(let client, let ttl, let chunks):
            self.chunks = chunks
            self.client = client.description
            self.ttl = Int(ttl)
        case .response(let chunk, let payload):
            chunks = [chunk]
            size = payload.readableBytes
        case .hello(let chunks), .chunkInfo(let chunks), .get(let chunks):
            self.chunks = chunks
        }
    }
}

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

extension TraceMessageEvent {
    /// The trace fields of a message sent to or received from `peer`.
    package init(_ message: ChunkMessage, sent: Bool, peer: NodeAddress, bytes: Int, cause: UInt64?) {
        self.init(
            sent: sent, message: TraceMessageType(message.type), peer: TraceAddress(ip: peer.ip, port: peer.port),
            bytes: bytes, cause: cause)
        switch message {
        case .query(let client, let ttl, let chunks):
            self.chunks = chunks
            self.client = TraceAddress(ip: client.ip, port: client.port)
            self.ttl = Int(ttl)
        case .response(let chunk, let payload):
            responseChunk = chunk
            size = payload.readableBytes
        case .hello(let chunks), .chunkInfo(let chunks), .get(let chunks):
            self.chunks = chunks
        }
    }
}

extension Array where Element == UInt8 {
    var hexString: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
