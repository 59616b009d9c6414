import ChunkNode
import ChunkTrace

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
