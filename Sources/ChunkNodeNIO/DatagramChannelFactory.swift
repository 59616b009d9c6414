import ChunkNode
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Binds the UDP socket of a client: SwiftNIO reads it, a `SocketDatagramSender` writes it.
///
/// The socket is made and bound here and handed to NIO, so that sends can go straight to `sendmmsg(2)`: NIO closes a
/// datagram channel on a send error such as EPERM (a firewall) or ENETUNREACH (a neighbour on no route), which would
/// stop a node because of one bad neighbour. With our own sends, such an error fails that datagram only.
enum DatagramChannelFactory {
    /// Datagrams read per system call when the socket is busy.
    static let vectorReadCount = 16
    /// Bytes of one read slot: any UDP datagram (at most 65,507 bytes of payload over IPv4) fits, so none is cut.
    static let readSlotBytes = 65_536
    /// NIO splits the receive buffer evenly between the vector read slots, so it holds one full slot per read.
    static let receiveBufferCapacity = vectorReadCount * readSlotBytes
    /// A client's receive buffer: one GET may ask a peer for thousands of chunks, whose RESPONSEs arrive in one
    /// burst (10,000 of 1 KiB take ~25 MiB of kernel memory). The kernel caps it at `net.core.rmem_max`.
    static let clientReceiveBufferBytes: CInt = 32 << 20

    static func bind(
        _ address: NodeAddress, group: any EventLoopGroup, receiveBufferBytes: CInt = DatagramSocket.bufferBytes,
        handler: @escaping @Sendable (SocketDatagramSender) -> any ChannelHandler
    ) async throws -> (channel: any Channel, sender: SocketDatagramSender) {
        let fd = try DatagramSocket.open(bound: address, receiveBufferBytes: receiveBufferBytes, nonBlocking: true)
        let sender = SocketDatagramSender(descriptor: fd)
        let bootstrap = DatagramBootstrap(group: group)
            .channelOption(.datagramVectorReadMessageCount, value: vectorReadCount)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: receiveBufferCapacity))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(handler(sender))
                }
            }
        do {
            return (try await bootstrap.withBoundSocket(fd).get(), sender)
        } catch {
            close(fd)
            throw NodeIOError.cannotBind(address, reason: "\(error)")
        }
    }
}
