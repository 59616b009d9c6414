import ChunkNode
import ChunkTrace

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
