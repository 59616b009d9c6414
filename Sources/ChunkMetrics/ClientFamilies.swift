import Prometheus

/// The `p2p_client_*` counters (its completion families are `ClientCompletionMetrics`).
struct ClientFamilies {
    let chunksReceived: Counter
    let chunksMissing: Counter
    /// Indexed by `MetricsMessageType.rawValue`.
    let retries: [Counter]
    let timeouts: Counter

    init(registry: PrometheusCollectorRegistry) {
        chunksReceived = registry.counter("p2p_client_chunks_received_total", "Asked chunks received and saved.")
        chunksMissing = registry.counter(
            "p2p_client_chunks_missing_total", "Asked chunks that had not arrived when the client ended.")
        retries = registry.perType("p2p_client_retries_total", "Messages the client sent again, by message type.")
        timeouts = registry.counter(
            "p2p_client_inactivity_timeouts_total", "Times the client ended on its inactivity timeout.")
    }
}
