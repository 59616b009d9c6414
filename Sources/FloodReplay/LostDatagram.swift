import ChunkTrace

/// A datagram of a flood that was sent and that its receiver's trace never shows arriving.
public struct LostDatagram: Sendable, Hashable {
    public var message: TraceMessageType
    public var from: String
    public var to: String
    /// For a query.
    public var ttl: Int?
    public var chunks: [UInt16]
    /// When it was sent, microseconds since the flood's start.
    public var offset: Int64
    public var reason: LossReason
    /// The visit that sent it, for a query or CHUNK_INFO.
    public var visit: Int?
}

/// Why a sent datagram has no matching receive.
public enum LossReason: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The receiver was tracing at that time and never logged it: the network lost it.
    case notReceived = "not_received"
    /// The receiver's trace ends before without a `stop` (killed, or its last segment cut), or starts after.
    case receiverDown = "receiver_down"
    /// The receiver had already ended cleanly (`stop`, or a client's `done`): a late answer, not a loss.
    case receiverEnded = "receiver_ended"
    /// There is no trace of the receiver in this set.
    case receiverUntraced = "receiver_untraced"

    public var description: String {
        switch self {
        case .notReceived: "lost"
        case .receiverDown: "lost (receiver not running: its trace ends before)"
        case .receiverEnded: "arrived after the receiver had ended"
        case .receiverUntraced: "sent to a node without traces"
        }
    }
}
