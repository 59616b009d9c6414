import Prometheus

/// How a client's run ended: `p2p_client_completion_seconds` (HELLO to the last chunk saved, observed once at the
/// end when any chunk arrived) and `p2p_client_peers_fetched_from` (distinct peers chunks came from).
package final class ClientCompletionMetrics: Sendable {
    /// Upper bounds of `p2p_client_completion_seconds`, from 1 ms to 30 s.
    package static let completionBuckets: [Duration] = [
        1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000,
    ].map { Duration.microseconds(Int64($0 * 1000)) }

    private let completion: DurationHistogram
    private let peers: Gauge

    init(registry: PrometheusCollectorRegistry) {
        completion = registry.makeDurationHistogram(
            descriptor: .init(
                metricName: "p2p_client_completion_seconds", unitName: "",
                helpText: "Time from the client's HELLO to the last chunk it saved (once per run, if any chunk came)."),
            buckets: Self.completionBuckets)
        peers = registry.makeGauge(
            descriptor: .init(
                metricName: "p2p_client_peers_fetched_from", unitName: "",
                helpText: "Distinct peers the client received chunks from."))
    }

    /// Records the end of a run: the time from HELLO to the last chunk (`nil` when none came) and the peer count.
    package func finished(lastChunkAfter duration: Duration?, peers count: Int) {
        if let duration { completion.record(max(duration, .zero)) }
        peers.set(to: Double(count))
    }
}
