import ChunkTrace
import Plurals

/// Rebuilds floods from a finished `TraceIndex`.
///
/// A flood starts at a HELLO received by a peer. Inside a node, `cause` links each send to the receive that
/// caused it; between nodes, the index matches each send to its receive. Receives of queries that no traced
/// send explains (the sender's trace is missing or damaged) are attached to the flood of the same client that
/// started last before them, or start a flood of their own.
package struct FloodReplayer: Sendable {
    /// How long after a flood's start a query that no traced send explains may still be attached to it,
    /// in microseconds.
    package var orphanWindow: Int64 = 10_000_000
    /// Whether clocks found off (`ClockSkewEstimator`) are corrected before floods are rebuilt.
    package var adjustClocks = true

    package init(adjustClocks: Bool = true) {
        self.adjustClocks = adjustClocks
    }

    /// Rebuilds every flood of `index` (finishing it first if needed).
    package func replay(_ index: TraceIndex) -> ReplayReport {
        var finished = index
        finished.finish()
        let offsets = adjustClocks ? ClockSkewEstimator().estimate(finished) : [:]
        finished.adjustClocks(offsets)
        var run = Run(index: finished, orphanWindow: orphanWindow)
        var report = run.replay()
        report.clockAdjustments = offsets.map {
            ClockAdjustment(node: finished.names[Int($0.key)], offset: $0.value.micros, pairs: $0.value.pairs)
        }.sorted { ReplayFormat.addressLess($0.node, $1.node) }
        guard !report.clockAdjustments.isEmpty else { return report }
        for adjustment in report.clockAdjustments {
            report.warnings.append(
                "the clock of \(adjustment.node) is \(ReplayFormat.offset(adjustment.offset)) off the others "
                    + "(estimated from \(counted(adjustment.pairs, "send/receive pair"))): its times are adjusted; "
                    + "--no-adjust shows raw times")
        }
        for f in report.floods.indices {
            let nodes = Set(report.floods[f].visits.map(\.node) + [report.floods[f].client])
            report.floods[f].clockAdjustments = report.clockAdjustments.filter { nodes.contains($0.node) }
        }
        return report
    }

    /// Rebuilds every flood of `events`.
    package func replay(events: some Sequence<TraceEvent>) -> ReplayReport {
        replay(TraceIndex(events: events))
    }
}
