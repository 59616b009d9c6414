/// Why the metrics endpoint could not start.
package enum MetricsServerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Another program already listens on this address.
    case addressInUse(host: String, port: Int)
    /// The address cannot be bound (not local, no permission, ...).
    case cannotListen(host: String, port: Int, reason: String)

    package var description: String {
        switch self {
        case .addressInUse(let host, let port):
            "cannot serve metrics on \(host):\(port): the port is already in use; choose another --metrics port"
        case .cannotListen(let host, let port, let reason):
            "cannot serve metrics on \(host):\(port): \(reason)"
        }
    }
}
