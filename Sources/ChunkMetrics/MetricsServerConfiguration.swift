import NIOCore

/// Limits and timeouts of the `/metrics` endpoint.
public struct MetricsServerConfiguration: Sendable, Hashable {
    /// IPv4 or IPv6 literal to listen on.
    public var host: String
    /// TCP port; 0 picks a free one (read it back from `MetricsServer.port`).
    public var port: Int
    /// A connection with no complete request for this long is closed.
    public var idleTimeout: TimeAmount
    /// A request head (request line and headers) longer than this is answered 431.
    public var maxHeadBytes: Int
    /// Connections open at once; those past the limit are answered 503.
    public var maxConnections: Int
    /// After an error response, how long unread input is drained before the connection is closed.
    public var lingerTimeout: TimeAmount

    public init(
        host: String = "127.0.0.1", port: Int = 0, idleTimeout: TimeAmount = .seconds(10), maxHeadBytes: Int = 8192,
        maxConnections: Int = 64, lingerTimeout: TimeAmount = .seconds(2)
    ) {
        self.host = host
        self.port = port
        self.idleTimeout = idleTimeout
        self.maxHeadBytes = maxHeadBytes
        self.maxConnections = maxConnections
        self.lingerTimeout = lingerTimeout
    }
}
