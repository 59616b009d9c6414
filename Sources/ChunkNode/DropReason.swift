/// Why a node refused a datagram.
package enum DropReason: Sendable, Hashable, CustomStringConvertible {
    /// The bytes are not a valid message.
    case malformed(ChunkProtocolError)
    /// A valid message this role never accepts (a peer given a RESPONSE, a client given a QUERY).
    case unexpected(MessageType)
    /// A client got a RESPONSE for a chunk it did not ask of that peer.
    case unrequested(chunk: ChunkID)
    /// A client got a second RESPONSE for a chunk it already has.
    case duplicate(chunk: ChunkID)

    /// The metric and trace label: `truncated`, `trailing_bytes`, `size_mismatch`, `unknown_type`,
    /// `too_long`, `unexpected`, `unrequested`, `duplicate`.
    package var label: String {
        switch self {
        case .malformed(let error): error.reason
        case .unexpected: "unexpected"
        case .unrequested: "unrequested"
        case .duplicate: "duplicate"
        }
    }

    /// Every label `label` can return, for metrics that are registered up front.
    package static let allLabels = [
        "truncated", "trailing_bytes", "size_mismatch", "unknown_type", "too_long", "unexpected", "unrequested",
        "duplicate",
    ]

    package var description: String {
        switch self {
        case .malformed(let error): error.description
        case .unexpected(let type): "unexpected \(type.name) for this role"
        case .unrequested(let chunk): "response for chunk \(chunk), which was not asked of this sender"
        case .duplicate(let chunk): "second response for chunk \(chunk)"
        }
    }
}
