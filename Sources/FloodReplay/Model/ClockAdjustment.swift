/// A node whose clock replay corrected: its events were moved back by `offset` before floods were rebuilt.
package struct ClockAdjustment: Sendable, Hashable {
    package var node: String
    /// The node's clock minus the others' (raw time − adjusted time), in microseconds.
    package var offset: Int64
    /// The send/receive pairs with other nodes the estimate rests on.
    package var pairs: Int
}
