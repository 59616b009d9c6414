/// The five protocol message types as metric label values, in wire order.
///
/// `ChunkMetrics` does not depend on the protocol module; the node adapter maps its message types onto these.
package enum MetricsMessageType: Int, Sendable, Hashable, CaseIterable {
    case hello = 0
    case query
    case chunkInfo
    case get
    case response

    /// The `type` label value: `hello`, `query`, `chunk_info`, `get`, `response`.
    package var label: String {
        switch self {
        case .hello: "hello"
        case .query: "query"
        case .chunkInfo: "chunk_info"
        case .get: "get"
        case .response: "response"
        }
    }
}
