import NIOCore
import NIOHTTP1

/// Serves a connection past a limit: answers 503 with `Retry-After` as soon as it opens, without waiting for a
/// request, then shuts output and drains briefly (see `ConnectionDeadlines`), so the refused client reads the
/// answer instead of a reset.
final class ConnectionRefusal: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = HTTPServerResponsePart

    private let message: String

    init(message: String) {
        self.message = message
    }

    func channelActive(context: ChannelHandlerContext) {
        var response = ScrapeResponse.text(.serviceUnavailable, message)
        response.headers.add(name: "Retry-After", value: "1")
        response.write(to: context, closing: true, sendsBody: true)
        context.triggerUserOutboundEvent(ConnectionDeadlines.Event.lastResponseWritten, promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
