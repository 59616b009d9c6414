import Prometheus

/// Datagrams a peer sent to and received from each configured neighbour, by message type:
/// `p2p_neighbor_datagrams_sent_total` and `p2p_neighbor_datagrams_received_total`, labelled `node` (this peer's
/// `ip:port`), `neighbor` and `type`.
///
/// The `neighbor` values are fixed at start: the configured neighbours' `ip:port`, and `other` for every other
/// address (clients, strangers), so no datagram can grow the label set. Loss on the link A → B is A's sent to B
/// minus B's received from A. Counters are preallocated; counting is an index into an array.
package final class NeighborTraffic: Sendable {
    /// The `neighbor` label of every address that is not a configured neighbour.
    package static let otherLabel = "other"

    /// The configured neighbours' labels, in the order the caller's indices refer to.
    package let neighbors: [String]
    /// Row `i * typeCount + type` for neighbour `i`; the last row is `other`.
    private let sent: [Counter]
    private let received: [Counter]

    init(registry: PrometheusCollectorRegistry, node: String, neighbors: [String]) {
        self.neighbors = neighbors
        func family(_ name: String, _ help: String) -> [Counter] {
            (neighbors + [Self.otherLabel]).flatMap { neighbor in
                MetricsMessageType.allCases.map { type in
                    registry.makeCounter(
                        descriptor: .init(metricName: name, unitName: "", helpText: help),
                        labels: [("node", node), ("neighbor", neighbor), ("type", type.label)])
                }
            }
        }
        sent = family(
            "p2p_neighbor_datagrams_sent_total",
            "Datagrams sent to each configured neighbour (other: any other address), by message type.")
        received = family(
            "p2p_neighbor_datagrams_received_total",
            "Valid datagrams received from each configured neighbour (other: any other address), by message type.")
    }

    /// Counts a datagram sent to neighbour `index` (an index into `neighbors`), or to another address when `nil`.
    package func sent(_ type: MetricsMessageType, to index: Int?) {
        sent[row(index) + type.rawValue].increment(by: Int64(1))
    }

    /// Counts a valid datagram received from neighbour `index`, or from another address when `nil`.
    package func received(_ type: MetricsMessageType, from index: Int?) {
        received[row(index) + type.rawValue].increment(by: Int64(1))
    }

    private func row(_ index: Int?) -> Int {
        let neighbor = index.flatMap { neighbors.indices.contains($0) ? $0 : nil } ?? neighbors.count
        return neighbor * MetricsMessageType.allCases.count
    }
}
