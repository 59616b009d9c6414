import NIOCore

/// A chunk id as it travels on the wire.
package typealias ChunkID = UInt16

/// The type field that starts every datagram.
package enum MessageType: UInt16, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case hello = 1
    case query = 2
    case chunkInfo = 3
    case get = 4
    case response = 5

    /// The lower-case name used in traces and metric labels: `hello`, `query`, `chunk_info`, `get`, `response`.
    package var name: String {
        switch self {
        case .hello: "hello"
        case .query: "query"
        case .chunkInfo: "chunk_info"
        case .get: "get"
        case .response: "response"
        }
    }

    package var description: String { name }
}

/// One protocol message, as defined in PROTOCOL.md.
package enum ChunkMessage: Sendable, Hashable {
    /// Client → contact peer: the chunks the client wants.
    case hello(chunks: [ChunkID])
    /// Peer → neighbour: a flooded search on behalf of `client`.
    case query(client: NodeAddress, ttl: UInt16, chunks: [ChunkID])
    /// Peer → client: the asked chunks this peer holds.
    case chunkInfo(chunks: [ChunkID])
    /// Client → peer: send me these chunks.
    case get(chunks: [ChunkID])
    /// Peer → client: one chunk's bytes. The size field on the wire is `payload.readableBytes`.
    case response(chunk: ChunkID, payload: ByteBuffer)

    package var type: MessageType {
        switch self {
        case .hello: .hello
        case .query: .query
        case .chunkInfo: .chunkInfo
        case .get: .get
        case .response: .response
        }
    }

    /// The chunk ids this message carries; for a response, its one id.
    package var chunks: [ChunkID] {
        switch self {
        case .hello(let chunks), .chunkInfo(let chunks), .get(let chunks), .query(_, _, let chunks): chunks
        case .response(let chunk, _): [chunk]
        }
    }

    /// The exact datagram length of this message.
    package var encodedLength: Int {
        switch self {
        case .hello(let chunks), .chunkInfo(let chunks), .get(let chunks): 4 + 2 * chunks.count
        case .query(_, _, let chunks): 12 + 2 * chunks.count
        case .response(_, let payload): 6 + payload.readableBytes
        }
    }
}
