import NIOCore

/// Serves one TCP connection of the metrics endpoint: reads whole request heads (bounded), answers them, and
/// closes the connection when it idles, errs or exceeds the connection limit.
///
/// Runs on the server's event loop; rendering happens there too, never on the loop that handles datagrams.
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let configuration: MetricsServerConfiguration
    private let render: @Sendable () -> [UInt8]
    private let connections: ConnectionRegistry
    private var admitted = false
    private var pending: [UInt8] = []
    /// After an error response: output is shut and input is drained until the peer closes or the linger ends.
    private var lingering = false
    private var timer: Scheduled<Void>?

    init(
        configuration: MetricsServerConfiguration, connections: ConnectionRegistry,
        render: @escaping @Sendable () -> [UInt8]
    ) {
        self.configuration = configuration
        self.connections = connections
        self.render = render
    }

    func channelActive(context: ChannelHandlerContext) {
        admitted = connections.add(context.channel)
        armTimer(context, after: configuration.idleTimeout)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        connections.remove(context.channel)
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !lingering else { return }
        let buffer = unwrapInboundIn(data)
        pending.append(contentsOf: buffer.readableBytesView)
        processPending(context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, !lingering {
            try? context.channel.syncOptions?.setOption(.autoRead, value: true)
            processPending(context)
        }
        context.fireChannelWritabilityChanged()
    }

    private func processPending(_ context: ChannelHandlerContext) {
        while !lingering {
            // A client that pipelines requests without reading the answers is not read from until it catches up,
            // so neither unread requests nor unsent answers pile up in memory.
            guard context.channel.isWritable else {
                try? context.channel.syncOptions?.setOption(.autoRead, value: false)
                return
            }
            let blanks = ScrapeRequest.leadingBlankBytes(pending)
            if blanks > 0 { pending.removeFirst(blanks) }
            guard let length = ScrapeRequest.headLength(pending) else {
                if pending.count > configuration.maxHeadBytes {
                    finish(context, .text(431, "Request Header Fields Too Large", "request head too large"))
                } else if ScrapeRequest.firstLineIsValid(pending) == false {
                    finish(context, .text(400, "Bad Request", "the request line is not 'METHOD target HTTP/1.x'"))
                }
                return
            }
            guard length <= configuration.maxHeadBytes else {
                finish(context, .text(431, "Request Header Fields Too Large", "request head too large"))
                return
            }
            let head = Array(pending[..<length])
            pending.removeFirst(length)
            let request: ScrapeRequest
            do {
                request = try ScrapeRequest.parse(head)
            } catch {
                finish(context, .text(400, "Bad Request", error.description))
                return
            }
            let response = respond(to: request)
            guard admitted, request.keepAlive, !request.hasBody else {
                finish(context, response)
                return
            }
            context.writeAndFlush(wrapOutboundOut(response.encoded(allocator: context.channel.allocator)), promise: nil)
            armTimer(context, after: configuration.idleTimeout)
        }
    }

    private func respond(to request: ScrapeRequest) -> ScrapeResponse {
        var response = route(request)
        response.sendsBody = request.method != "HEAD"
        return response
    }

    private func route(_ request: ScrapeRequest) -> ScrapeResponse {
        guard admitted else {
            var response = ScrapeResponse.text(503, "Service Unavailable", "too many connections; retry later")
            response.headers.append(("Retry-After", "1"))
            return response
        }
        let isHead = request.method == "HEAD"
        var response: ScrapeResponse
        switch request.path {
        case "/metrics":
            guard request.method == "GET" || isHead else { return Self.methodNotAllowed() }
            response = ScrapeResponse(
                status: 200, reason: "OK", headers: [("Content-Type", ScrapeResponse.metricsContentType)],
                body: render())
            response.headers.append(("Vary", "Accept-Encoding"))
            if request.acceptsGzip, let compressed = GzipEncoder.compress(response.body) {
                response.body = compressed
                response.headers.append(("Content-Encoding", "gzip"))
            }
        case "/":
            guard request.method == "GET" || isHead else { return Self.methodNotAllowed() }
            response = ScrapeResponse(
                status: 200, reason: "OK", headers: [("Content-Type", "text/html; charset=utf-8")],
                body: Array(Self.landingPage.utf8))
        default:
            response = .text(404, "Not Found", "not found; metrics are at /metrics")
        }
        return response
    }

    private static func methodNotAllowed() -> ScrapeResponse {
        var response = ScrapeResponse.text(405, "Method Not Allowed", "only GET and HEAD are allowed")
        response.headers.append(("Allow", "GET, HEAD"))
        return response
    }

    static let landingPage = """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>p2p chunk node metrics</title></head>
        <body>
        <h1>p2p chunk node</h1>
        <p>Prometheus metrics: <a href="/metrics">/metrics</a></p>
        </body>
        </html>

        """

    /// Sends a last response, shuts output, and drains input until the client closes or the linger time ends.
    private func finish(_ context: ChannelHandlerContext, _ response: ScrapeResponse) {
        var response = response
        response.closesConnection = true
        lingering = true
        pending = []
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(response.encoded(allocator: channel.allocator))).whenComplete { _ in
            channel.close(mode: .output).whenFailure { _ in channel.close(promise: nil) }
        }
        armTimer(context, after: configuration.lingerTimeout)
    }

    private func armTimer(_ context: ChannelHandlerContext, after delay: TimeAmount) {
        timer?.cancel()
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: delay) { channel.close(promise: nil) }
    }
}
