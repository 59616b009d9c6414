import ChunkNode
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension NodeAddress {
    /// The IPv4 address of a socket address, or `nil` for anything else.
    init?(_ address: SocketAddress) {
        guard case .v4(let v4) = address else { return nil }
        self.init(ip: UInt32(bigEndian: v4.address.sin_addr.s_addr), port: UInt16(bigEndian: v4.address.sin_port))
    }
}

extension SocketAddress {
    /// The socket address of a node, built without going through text.
    init(_ node: NodeAddress) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = node.port.bigEndian
        address.sin_addr.s_addr = node.ip.bigEndian
        self.init(address, host: node.ipString)
    }
}
