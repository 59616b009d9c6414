import Prometheus

/// The counters and gauges only a peer has (its per-neighbour and flood families are `NeighborTraffic` and
/// `FloodMetrics`).
struct PeerFamilies {
    let queriesForwarded: Counter
    let queriesExpired: Counter
    let chunksServed: Counter
    let chunkRequestsUnknown: Counter
    let queriesTTLClamped: Counter
    /// `p2p_responses_rate_limited_total`, for CHUNK_INFO and RESPONSE (the budgeted types).
    let responsesRateLimited: [MetricsMessageType: Counter]
    let neighborCount: Gauge
    let chunksHeld: Gauge

    init(registry: PrometheusCollectorRegistry) {
        queriesForwarded = registry.counter(
            "p2p_queries_forwarded_total", "QUERY messages sent to neighbours (from a HELLO or a forwarded QUERY).")
        queriesExpired = registry.counter(
            "p2p_queries_expired_total", "QUERY messages that reached ttl 0 here and were not forwarded.")
        chunksServed = registry.counter("p2p_chunks_served_total", "RESPONSE messages sent (one per chunk served).")
        chunkRequestsUnknown = registry.counter(
            "p2p_chunk_requests_unknown_total", "Chunk ids asked for in GET messages that this peer does not hold.")
        queriesTTLClamped = registry.counter(
            "p2p_queries_ttl_clamped_total", "QUERY messages whose ttl was above --max-ttl, handled as if at it.")
        var limited: [MetricsMessageType: Counter] = [:]
        for type in [MetricsMessageType.chunkInfo, .response] {
            limited[type] = registry.counter(
                "p2p_responses_rate_limited_total",
                "Answers not sent because their destination address was over --response-rate-limit, by type.",
                [("type", type.label)])
        }
        responsesRateLimited = limited
        neighborCount = registry.gauge("p2p_neighbors", "Neighbours this peer floods queries to.")
        chunksHeld = registry.gauge("p2p_chunks_held", "Chunks this peer holds and serves.")
    }
}
