import ChunkNode
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Binds the UDP sockets of peers and clients: SwiftNIO reads them, a `SocketDatagramSender` writes them.
///
/// The socket is made and bound here and handed to NIO, so that sends can go straight to `sendto(2)`: NIO closes a
/// datagram channel on a send error such as EPERM (a firewall) or ENETUNREACH (a neighbour on no route), which would
/// stop a peer because of one bad neighbour. With our own sends, such an error fails that datagram only.
enum DatagramChannelFactory {
    /// Datagrams read per system call when the socket is busy.
    static let vectorReadCount = 16
    /// Bytes of one read slot: any UDP datagram (at most 65,507 bytes of payload over IPv4) fits, so none is cut.
    static let readSlotBytes = 65_536
    /// NIO splits the receive buffer evenly between the vector read slots, so it holds one full slot per read.
    static let receiveBufferCapacity = vectorReadCount * readSlotBytes
    /// Kernel socket buffers, so bursts are absorbed rather than dropped.
    static let socketBufferBytes: CInt = 4 << 20
    /// A client's receive buffer: one GET may ask a peer for thousands of chunks, whose RESPONSEs arrive in one
    /// burst (10,000 of 1 KiB take ~25 MiB of kernel memory). The kernel caps it at `net.core.rmem_max`.
    static let clientReceiveBufferBytes: CInt = 32 << 20

    static func bind(
        _ address: NodeAddress, group: any EventLoopGroup, receiveBufferBytes: CInt = socketBufferBytes,
        handler: @escaping @Sendable (SocketDatagramSender) -> any ChannelHandler
    ) async throws -> (channel: any Channel, sender: SocketDatagramSender) {
        let fd = try openSocket(bound: address, receiveBufferBytes: receiveBufferBytes)
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

    private static func openSocket(bound address: NodeAddress, receiveBufferBytes: CInt) throws(NodeIOError) -> CInt {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw .cannotBind(address, reason: String(cString: strerror(errno))) }
        var size = receiveBufferBytes
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<CInt>.size))
        size = socketBufferBytes
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<CInt>.size))
        var local = sockaddr_in(address)
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            if code == EADDRINUSE { throw .addressInUse(address) }
            throw .cannotBind(address, reason: String(cString: strerror(code)))
        }
        return fd
    }
}

extension sockaddr_in {
    init(_ node: NodeAddress) {
        self.init()
        sin_family = sa_family_t(AF_INET)
        sin_port = node.port.bigEndian
        sin_addr.s_addr = node.ip.bigEndian
    }
}
