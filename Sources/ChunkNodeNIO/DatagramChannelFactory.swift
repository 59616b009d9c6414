import ChunkNode
import NIOCore
import NIOPosix

/// Binds the UDP channels of peers and clients with the same options.
enum DatagramChannelFactory {
    /// Datagrams read per system call when the socket is busy.
    static let vectorReadCount = 16
    /// Large enough for any UDP datagram, so nothing is silently cut.
    static let receiveBufferCapacity = 65_536

    static func bind(
        _ address: NodeAddress, group: any EventLoopGroup,
        handler: @escaping @Sendable () -> any ChannelHandler
    ) async throws -> any Channel {
        let bootstrap = DatagramBootstrap(group: group)
            .channelOption(.datagramVectorReadMessageCount, value: vectorReadCount)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: receiveBufferCapacity))
            .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler()) }
            }
        do {
            return try await bootstrap.bind(to: SocketAddress(address)).get()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw NodeIOError.addressInUse(address)
        } catch {
            throw NodeIOError.cannotBind(address, reason: "\(error)")
        }
    }
}
