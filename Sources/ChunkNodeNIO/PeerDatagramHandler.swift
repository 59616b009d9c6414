import ChunkNode
import Logging
import NIOCore

/// The peer on its event loop: hands each datagram to the `PeerDriver`, which queues the answers; they leave
/// through `sender` together at the end of each read burst.
package final class PeerDatagramHandler<Sender: DatagramSending>: ChannelInboundHandler {
    package typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private var driver: PeerDriver
    /// The driver's recorder, kept apart: reading it through `driver` would copy the whole driver per datagram.
    private let recorder: NodeEventRecorder
    private let sender: Sender
    private let software: String
    private let logger: Logger

    /// - Parameters:
    ///   - software: the version recorded in the `start` event, recorded when the handler is added.
    ///   - logger: where socket errors are reported.
    package init(driver: PeerDriver, sender: Sender, software: String, logger: Logger) {
        self.driver = driver
        recorder = driver.recorder
        self.sender = sender
        self.software = software
        self.logger = logger
    }

    package func handlerAdded(context: ChannelHandlerContext) {
        driver.start(software: software)
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let source = NodeAddress(envelope.remoteAddress) else { return }
        let started = recorder.isObserved ? NIODeadline.now() : nil
        let step = driver.receive(
            envelope.data, from: source, at: NIODeadline.now().uptimeNanoseconds, sendingWith: sender)
        if let started, case .received(let message, _, _) = step {
            let seconds = Double((NIODeadline.now() - started).nanoseconds) / 1e9
            recorder.note(.handled(message.type, seconds: seconds))
        }
    }

    package func channelReadComplete(context: ChannelHandlerContext) {
        driver.flush(sendingWith: sender)
    }

    package func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Sent while the socket is surely open: NIO may close it after a fatal error.
        driver.flush(sendingWith: sender)
        // A UDP socket reports errors such as an ICMP "port unreachable" here; the peer keeps serving.
        logger.warning("socket error (ignored): \(error)")
    }
}
