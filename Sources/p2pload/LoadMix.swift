import ChunkProtocol

/// Which requests the generator sends, and what counts as their answer.
///
/// Every request is built so that a correct peer answers it with exactly one datagram: a GET for one held chunk gets
/// one RESPONSE; a HELLO or a QUERY (whose client is the sending socket itself) for one held chunk gets one
/// CHUNK_INFO, as long as the peer has no neighbours to flood to.
enum LoadMix: String, CaseIterable, Sendable {
    /// GETs for one chunk.
    case get
    /// HELLOs and QUERYs, alternately.
    case helloQuery = "hello-query"
    /// GET, HELLO, QUERY in turn.
    case mixed

    /// The requests one socket cycles through; `client` is the socket's own address, put into QUERYs.
    func requests(chunk: ChunkID, client: NodeAddress) throws(ChunkProtocolError) -> [[UInt8]] {
        let get = try ChunkMessage.get(chunks: [chunk]).encoded()
        let hello = try ChunkMessage.hello(chunks: [chunk]).encoded()
        let query = try ChunkMessage.query(client: client, ttl: 1, chunks: [chunk]).encoded()
        switch self {
        case .get: return [get]
        case .helloQuery: return [hello, query]
        case .mixed: return [get, hello, query]
        }
    }
}
