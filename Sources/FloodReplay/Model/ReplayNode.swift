/// A traced node as its `start` event describes it.
package struct ReplayNode: Sendable, Hashable {
    package var address: String
    package var role: String
    package var runs: [String]
    /// A peer's neighbours (from its `start` event).
    package var neighbors: [String]
    /// The chunks a peer holds.
    package var held: [UInt16]
    /// A client's contact peer.
    package var contact: String?
    package var firstEvent: Int64
    package var lastEvent: Int64
    package var events: Int
}
