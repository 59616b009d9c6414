import NIOCore
import NIOHTTP1

/// Answers 431 when a request head passes NIO's header limits, in place of the 400 NIO's protocol error handler
/// (which sits behind it) would send for this parse error; every other error passes on.
final class HeadTooLargeResponder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private var answered = false

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !answered else { return }
        guard let parseError = error as? HTTPParserError, parseError == .headerOverflow else {
            context.fireErrorCaught(error)
            return
        }
        answered = true
        ScrapeResponse.text(.requestHeaderFieldsTooLarge, "request head too large")
            .write(to: context, closing: true, sendsBody: true)
        context.triggerUserOutboundEvent(ConnectionDeadlines.Event.lastResponseWritten, promise: nil)
    }
}
