import NIOCore
import NIOHTTP1

extension ChannelPipeline.SynchronousOperations {
    /// Adds the handlers that serve one `/metrics` connection: deadlines, NIO's HTTP/1.1 server pipeline (its
    /// header limits, pipelining assistance and protocol error handling), the 431 responder and the request
    /// handler. The server adds these for each admitted connection; tests and fuzz targets add them to an
    /// `EmbeddedChannel` and write request bytes inbound.
    ///
    /// - Parameters:
    ///   - configuration: the timeouts and head limits used; the address and connection limits are not.
    ///   - render: produces the metrics text; called on the channel's loop for every GET or HEAD of `/metrics`.
    package func configureMetricsEndpoint(
        configuration: MetricsServerConfiguration, render: @escaping @Sendable () -> [UInt8]
    ) throws {
        try addHandler(
            ConnectionDeadlines(
                requestTimeout: configuration.requestTimeout, idleTimeout: configuration.idleTimeout,
                lingerTimeout: configuration.lingerTimeout))
        try configureHTTPServerPipeline(
            withErrorHandling: true, withEncoderConfiguration: .init(),
            withDecoderLimitConfiguration: configuration.headLimits)
        let protocolErrors = try handler(type: HTTPServerProtocolErrorHandler.self)
        try addHandler(HeadTooLargeResponder(), position: .before(protocolErrors))
        try addHandler(MetricsRequestHandler(routes: MetricsRoutes(render: render)))
    }

    /// Adds the handlers that answer a connection past a limit with 503 and close it.
    func configureMetricsRefusal(configuration: MetricsServerConfiguration, message: String) throws {
        try addHandler(
            ConnectionDeadlines(
                requestTimeout: configuration.requestTimeout, idleTimeout: configuration.idleTimeout,
                lingerTimeout: configuration.lingerTimeout))
        try addHandler(HTTPResponseEncoder())
        try addHandler(ConnectionRefusal(message: message))
    }
}
