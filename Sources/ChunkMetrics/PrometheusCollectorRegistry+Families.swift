import Prometheus

/// The registrations `NodeMetrics` and its family groups make: families without a unit, labelled or not.
extension PrometheusCollectorRegistry {
    func counter(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Counter {
        makeCounter(descriptor: .init(metricName: name, unitName: "", helpText: help), labels: labels)
    }

    func gauge(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Gauge {
        makeGauge(descriptor: .init(metricName: name, unitName: "", helpText: help), labels: labels)
    }

    /// One counter per message type (label `type`), indexed by `MetricsMessageType.rawValue`.
    func perType(_ name: String, _ help: String) -> [Counter] {
        MetricsMessageType.allCases.map { counter(name, help, [("type", $0.label)]) }
    }
}
