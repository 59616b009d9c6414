/// Why a sent datagram has no matching receive.
package enum LossReason: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The receiver was tracing at that time and never logged it: the network lost it.
    case notReceived = "not_received"
    /// The receiver's trace ends before without a `stop` (killed, or its last segment cut), or starts after.
    case receiverDown = "receiver_down"
    /// The receiver had already ended cleanly (`stop`, or a client's `done`), or ended cleanly soon after the send
    /// without receiving anything more (it had stopped reading): a late answer, not a loss.
    case receiverEnded = "receiver_ended"
    /// There is no trace of the receiver in this set.
    case receiverUntraced = "receiver_untraced"

    package var description: String {
        switch self {
        case .notReceived: "lost"
        case .receiverDown: "lost (receiver not running: its trace ends before)"
        case .receiverEnded: "arrived after the receiver had ended"
        case .receiverUntraced: "sent to a node without traces"
        }
    }
}
