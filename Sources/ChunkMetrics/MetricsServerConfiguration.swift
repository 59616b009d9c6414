import NIOCore
import NIOHTTP1

/// Limits and timeouts of the `/metrics` endpoint.
package struct MetricsServerConfiguration: Sendable, Hashable {
    /// IPv4 or IPv6 literal to listen on.
    package var host: String
    /// TCP port; 0 picks a free one (read it back from `MetricsServer.port`).
    package var port: Int
    /// Between requests on a kept-alive connection, how long it may stay silent before it is closed.
    package var idleTimeout: TimeAmount
    /// A request must be complete this long after the connection opened or after its first byte arrived;
    /// a slower client is disconnected, so a dribbled head cannot hold a slot.
    package var requestTimeout: TimeAmount
    /// Connections open at once; those past the limit are answered 503 and closed at once.
    package var maxConnections: Int
    /// Connections open at once from one source address; those past it are answered 503 and closed at once, so
    /// one address cannot take every slot.
    package var maxConnectionsPerAddress: Int
    /// After a last response, how long unread input is drained before the connection is closed.
    package var lingerTimeout: TimeAmount
    /// Request head limits, answered 431 when passed: NIO's own defaults (80 KiB of header names and values).
    package var headLimits: NIOHTTPDecoderLimitConfiguration

    package init(
        host: String = "127.0.0.1", port: Int = 0, idleTimeout: TimeAmount = .seconds(10),
        requestTimeout: TimeAmount = .seconds(2), maxConnections: Int = 64, maxConnectionsPerAddress: Int = 8,
        lingerTimeout: TimeAmount = .seconds(2)
    ) {
        self.host = host
        self.port = port
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.maxConnections = maxConnections
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.lingerTimeout = lingerTimeout
        self.headLimits = NIOHTTPDecoderLimitConfiguration()
    }
}
