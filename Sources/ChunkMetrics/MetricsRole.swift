/// Which program a set of metrics describes; it decides which families are registered.
package enum MetricsRole: String, Sendable, Hashable, CaseIterable {
    case peer
    case client
}
