import NIOCore
import NIOHTTP1

/// Answers the requests NIO's decoder delivers, one at a time and in order (NIO's pipelining handler holds the
/// next one back until an answer ends). While the client does not read its answers (the channel is not writable),
/// a complete request waits, so neither unread requests nor unsent answers pile up in memory.
///
/// Bodies are read and dropped. Runs on the server's event loop; rendering happens there too.
final class MetricsRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let routes: MetricsRoutes
    /// The head of the request whose parts are arriving.
    private var receiving: HTTPRequestHead?
    /// A complete request waiting for the channel to become writable.
    private var waiting: HTTPRequestHead?
    /// The last response is written; nothing more is read or answered.
    private var closing = false

    init(routes: MetricsRoutes) {
        self.routes = routes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            receiving = head
        case .body:
            break
        case .end:
            waiting = receiving
            receiving = nil
            context.triggerUserOutboundEvent(ConnectionDeadlines.Event.requestReceived, promise: nil)
            answerIfWritable(context)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        answerIfWritable(context)
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError || error is ByteToMessageDecoderError else {
            context.close(promise: nil)
            return
        }
        // NIO's protocol error handler has answered 400 already.
        closeAfterLastResponse(context)
    }

    private func answerIfWritable(_ context: ChannelHandlerContext) {
        guard !closing, context.channel.isWritable, let request = waiting else { return }
        waiting = nil
        let response = routes.response(to: request)
        let keepAlive = request.isKeepAlive && !response.closesConnection
        if keepAlive {
            // Sent before the answer: writing its end may hand this handler the next pipelined request at once.
            context.triggerUserOutboundEvent(ConnectionDeadlines.Event.awaitingRequest, promise: nil)
        } else {
            closing = true
        }
        response.write(to: context, closing: !keepAlive, sendsBody: request.method != .HEAD)
        if !keepAlive { closeAfterLastResponse(context) }
    }

    private func closeAfterLastResponse(_ context: ChannelHandlerContext) {
        closing = true
        waiting = nil
        context.triggerUserOutboundEvent(ConnectionDeadlines.Event.lastResponseWritten, promise: nil)
    }
}
