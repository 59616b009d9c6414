/// A traced node as its `start` event describes it.
public struct ReplayNode: Sendable, Hashable {
    public var address: String
    public var role: String
    public var runs: [String]
    /// A peer's neighbours (from its `start` event).
    public var neighbors: [String]
    /// The chunks a peer holds.
    public var held: [UInt16]
    /// A client's contact peer.
    public var contact: String?
    public var firstEvent: Int64
    public var lastEvent: Int64
    public var events: Int
}
