/// A node whose clock replay corrected: its events were moved back by `offset` before floods were rebuilt.
public struct ClockAdjustment: Sendable, Hashable {
    public var node: String
    /// The node's clock minus the others' (raw time − adjusted time), in microseconds.
    public var offset: Int64
    /// The send/receive pairs with other nodes the estimate rests on.
    public var pairs: Int
}
