import NIOCore

/// The clock of one metrics connection. A request must be complete within the request timeout of the connection
/// opening (or, between requests, of its first byte); a kept-alive connection may idle for the idle timeout between
/// requests; after the last response, output is shut and input drained (dropped) for at most the linger timeout.
///
/// It sits first in the pipeline, so it sees every byte; the handlers behind it report where the exchange stands
/// by sending an `Event` as a user outbound event.
final class ConnectionDeadlines: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// What the handlers behind report.
    enum Event: Sendable {
        /// A whole request arrived; it is being answered, no deadline runs.
        case requestReceived
        /// The answer is written and the connection stays open for another request.
        case awaitingRequest
        /// The last response is written: shut output once it is sent, drain input, then close.
        case lastResponseWritten
    }

    private enum State {
        case receivingRequest
        case answering
        case idle
        case lingering
    }

    private let requestTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private let lingerTimeout: TimeAmount
    private var state = State.receivingRequest
    private var timer: Scheduled<Void>?

    init(requestTimeout: TimeAmount, idleTimeout: TimeAmount, lingerTimeout: TimeAmount) {
        self.requestTimeout = requestTimeout
        self.idleTimeout = idleTimeout
        self.lingerTimeout = lingerTimeout
    }

    func channelActive(context: ChannelHandlerContext) {
        if state == .receivingRequest { closeAfter(requestTimeout, context) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch state {
        case .lingering:
            return
        case .idle:
            state = .receivingRequest
            closeAfter(requestTimeout, context)
        case .receivingRequest, .answering:
            break
        }
        context.fireChannelRead(data)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let event = event as? Event else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        promise?.succeed()
        guard state != .lingering else { return }
        switch event {
        case .requestReceived:
            state = .answering
            timer?.cancel()
            timer = nil
        case .awaitingRequest:
            state = .idle
            closeAfter(idleTimeout, context)
        case .lastResponseWritten:
            state = .lingering
            closeAfter(lingerTimeout, context)
            // An empty write completes after everything written before it, so output is shut after the response.
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(channel.allocator.buffer(capacity: 0))).whenComplete { _ in
                channel.close(mode: .output).whenFailure { _ in channel.close(promise: nil) }
            }
        }
    }

    private func closeAfter(_ delay: TimeAmount, _ context: ChannelHandlerContext) {
        timer?.cancel()
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: delay) { channel.close(promise: nil) }
    }
}
