/// Protocol constants replay relies on (PROTOCOL.md).
enum PeerDefaults {
    /// The ttl a contact peer puts on the queries it floods.
    static let initialTTL: UInt16 = 3
}
