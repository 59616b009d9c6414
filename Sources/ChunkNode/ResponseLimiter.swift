/// A peer's response budget with the trace-line budget of what it refuses: the one place that decides whether an
/// answer is sent and records the refusals.
package struct ResponseLimiter: Sendable {
    private var budget: ResponseBudget
    private var traceLines: TraceLineBudget

    /// - Parameter rate: `--response-rate-limit`, answers per second to one address; `0` gives `nil`, no limit.
    package init?(rate: Int, traceLinesPerSecond: Int = TraceLineBudget.defaultLinesPerSecond) {
        guard let budget = ResponseBudget(rate: rate) else { return nil }
        self.budget = budget
        traceLines = TraceLineBudget(linesPerSecond: traceLinesPerSecond)
    }

    /// Whether `outgoing` may be sent at `now` (monotonic nanoseconds).
    ///
    /// A refusal is always noted as a `NodeFact` (metrics) and recorded as an event (traces) within the trace-line
    /// budget; the first event after a spell of untraced refusals is preceded by their count.
    package mutating func admit(
        _ outgoing: Outgoing, cause: UInt64?, at now: UInt64, recorder: NodeEventRecorder
    ) -> Bool {
        if budget.admit(outgoing, at: now) { return true }
        recorder.note(.rateLimited(outgoing.message.type))
        guard let untraced = traceLines.admit(at: now) else { return false }
        if untraced > 0 { recorder.record(.rateLimitedUntraced(count: untraced)) }
        recorder.record(.rateLimited(outgoing.message, to: outgoing.destination, cause: cause))
        return false
    }
}
