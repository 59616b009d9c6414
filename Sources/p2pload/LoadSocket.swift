import ChunkProtocol

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A non-blocking UDP socket connected to the peer under load, so the kernel only hands it the peer's datagrams.
struct LoadSocket {
    let descriptor: Int32
    /// The socket's own address (what a QUERY names as its client).
    let local: NodeAddress

    init(peer: NodeAddress, receiveBuffer: Int32) throws(LoadError) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw .socket(operation: "socket", errno: errno) }
        var size = receiveBuffer
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var remote = Self.socketAddress(peer)
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            close(fd)
            throw .socket(operation: "connect to \(peer)", errno: code)
        }
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        descriptor = fd
        local = NodeAddress(ip: UInt32(bigEndian: bound.sin_addr.s_addr), port: UInt16(bigEndian: bound.sin_port))
    }

    /// Sends one datagram; `false` when the kernel would block or refused it.
    func transmit(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) } == bytes.count
    }

    /// Receives one datagram into `buffer`; its length, or `nil` when none is waiting.
    func receive(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        let got = recv(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT))
        return got >= 0 ? got : nil
    }

    func closeSocket() { _ = close(descriptor) }

    private static func socketAddress(_ address: NodeAddress) -> sockaddr_in {
        var result = sockaddr_in()
        result.sin_family = sa_family_t(AF_INET)
        result.sin_port = address.port.bigEndian
        result.sin_addr.s_addr = address.ip.bigEndian
        return result
    }
}
