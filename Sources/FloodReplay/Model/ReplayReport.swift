/// Everything replay rebuilt from a trace set.
package struct ReplayReport: Sendable, Hashable {
    /// Groups of traces close in time, each one experiment; floods never cross sessions.
    package var sessions: [ReplaySession]
    /// Every flood, in time order.
    package var floods: [Flood]
    /// What replay noticed and could not use, in words.
    package var warnings: [String]
    /// The nodes whose clocks were corrected (empty with `FloodReplayer.adjustClocks` off).
    package var clockAdjustments: [ClockAdjustment] = []
}
