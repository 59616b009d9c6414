/// Everything replay rebuilt from a trace set.
public struct ReplayReport: Sendable, Hashable {
    /// Groups of traces close in time, each one experiment; floods never cross sessions.
    public var sessions: [ReplaySession]
    /// Every flood, in time order.
    public var floods: [Flood]
    /// What replay noticed and could not use, in words.
    public var warnings: [String]
    /// The nodes whose clocks were corrected (empty with `FloodReplayer.adjustClocks` off).
    public var clockAdjustments: [ClockAdjustment] = []
}
