import ChunkNode

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens and binds the UDP sockets of peers and clients, with kernel buffers big enough to absorb bursts.
enum DatagramSocket {
    /// Kernel socket buffers, so bursts are absorbed rather than dropped.
    static let bufferBytes: CInt = 4 << 20

    /// A UDP socket bound to `address`.
    ///
    /// - Parameters:
    ///   - receiveBufferBytes: the kernel's receive buffer (capped at `net.core.rmem_max`).
    ///   - nonBlocking: whether reads return at once when nothing is queued (for an event loop), or wait.
    /// - Throws: `NodeIOError` when the address cannot be bound.
    static func open(bound address: NodeAddress, receiveBufferBytes: CInt, nonBlocking: Bool) throws(NodeIOError)
        -> CInt
    {
        let type = Int32(SOCK_DGRAM.rawValue) | (nonBlocking ? Int32(SOCK_NONBLOCK.rawValue) : 0)
        let fd = socket(AF_INET, type, 0)
        guard fd >= 0 else { throw .cannotBind(address, reason: String(cString: strerror(errno))) }
        var size = receiveBufferBytes
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<CInt>.size))
        size = bufferBytes
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

    /// The address socket `fd` is bound to (with the real port when it was bound to port 0).
    static func localAddress(of fd: CInt) -> NodeAddress? {
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let found = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard found == 0, local.sin_family == sa_family_t(AF_INET) else { return nil }
        return NodeAddress(ip: UInt32(bigEndian: local.sin_addr.s_addr), port: UInt16(bigEndian: local.sin_port))
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
