import Prometheus

/// The families every role has: messages and bytes by type, send errors, handling time and drops by reason.
struct MessageFamilies {
    let sent: [Counter]
    let received: [Counter]
    let bytesSent: [Counter]
    let bytesReceived: [Counter]
    let sendErrors: [Counter]
    let handling: [DurationHistogram]
    /// `p2p_datagrams_dropped_total` by the reasons registered up front.
    let dropped: [String: Counter]
    /// The `other` reason, which counts every reason not registered up front.
    let droppedOther: Counter

    init(registry: PrometheusCollectorRegistry, dropReasons: [String]) {
        sent = registry.perType("p2p_messages_sent_total", "Protocol messages sent, by message type.")
        received = registry.perType(
            "p2p_messages_received_total", "Valid protocol messages received, by message type.")
        bytesSent = registry.perType("p2p_bytes_sent_total", "UDP payload bytes sent, by message type.")
        bytesReceived = registry.perType(
            "p2p_bytes_received_total", "UDP payload bytes of valid messages received, by type.")
        sendErrors = registry.perType(
            "p2p_send_errors_total", "Messages the kernel refused to send (no route, firewall), by message type.")
        handling = MetricsMessageType.allCases.map {
            registry.makeDurationHistogram(
                descriptor: .init(
                    metricName: "p2p_message_handling_seconds", unitName: "",
                    helpText: "Time to handle one datagram, from decode to the last send handed to the socket."),
                labels: [("type", $0.label)], buckets: NodeMetrics.handlingBuckets)
        }
        let dropHelp = "Datagrams refused, by reason (malformed, unexpected for this role, unrequested, duplicate)."
        var dropped: [String: Counter] = [:]
        for reason in dropReasons {
            dropped[reason] = registry.counter("p2p_datagrams_dropped_total", dropHelp, [("reason", reason)])
        }
        self.dropped = dropped
        droppedOther =
            dropped["other"] ?? registry.counter("p2p_datagrams_dropped_total", dropHelp, [("reason", "other")])
    }
}
