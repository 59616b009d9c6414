import ChunkNode
import NIOCore

extension NodeAddress {
    /// The IPv4 address of a socket address, or `nil` for anything else.
    init?(_ address: SocketAddress) {
        guard case .v4(let v4) = address else { return nil }
        self.init(ip: UInt32(bigEndian: v4.address.sin_addr.s_addr), port: UInt16(bigEndian: v4.address.sin_port))
    }
}
