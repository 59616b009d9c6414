import Prometheus

/// What a peer sees of floods: floods started here, duplicate QUERYs, and how fast a QUERY is answered.
///
/// `p2p_floods_started_total` counts HELLOs received; `p2p_queries_duplicate_total` counts QUERYs that repeat a
/// flood this peer already saw (the caller decides what repeats); `p2p_query_answer_seconds` is the time from a
/// QUERY's arrival to the CHUNK_INFO it caused.
package final class FloodMetrics: Sendable {
    /// Upper bounds of `p2p_query_answer_seconds`, from 1 µs to 100 ms.
    package static let answerBuckets: [Duration] = [
        1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 1_000_000, 10_000_000, 100_000_000,
    ].map { Duration.nanoseconds($0) }

    private let started: Counter
    private let duplicates: Counter
    private let answer: DurationHistogram

    init(registry: PrometheusCollectorRegistry) {
        started = registry.makeCounter(
            descriptor: .init(
                metricName: "p2p_floods_started_total", unitName: "",
                helpText: "HELLO messages received: floods this peer started as contact peer."))
        duplicates = registry.makeCounter(
            descriptor: .init(
                metricName: "p2p_queries_duplicate_total", unitName: "",
                helpText: "QUERY messages for a flood this peer had already seen (same client and chunks, recently)."))
        answer = registry.makeDurationHistogram(
            descriptor: .init(
                metricName: "p2p_query_answer_seconds", unitName: "",
                helpText: "Time from a QUERY's arrival to the CHUNK_INFO it caused being handed to the socket."),
            buckets: Self.answerBuckets)
    }

    /// Counts a HELLO received.
    package func floodStarted() {
        started.increment(by: Int64(1))
    }

    /// Counts a QUERY that repeats a flood already seen.
    package func duplicateQuery() {
        duplicates.increment(by: Int64(1))
    }

    /// Records the time from a QUERY's arrival to its CHUNK_INFO.
    package func queryAnswered(after duration: Duration) {
        answer.record(max(duration, .zero))
    }
}
