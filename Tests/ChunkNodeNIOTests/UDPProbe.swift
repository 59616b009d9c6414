import ChunkNode
import Foundation

/// A blocking UDP socket on loopback (127.0.0.1 unless told) for playing a peer or client by hand in a test.
final class UDPProbe: @unchecked Sendable {
    private let fd: Int32
    let address: NodeAddress

    /// - Parameter receiveBufferBytes: a kernel receive buffer this big (forced past `rmem_max` when root), for
    ///   tests that take thousands of datagrams at once.
    init(ip: UInt32 = 0x7F00_0001, receiveBufferBytes: Int32? = nil) throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        self.fd = fd
        if var size = receiveBufferBytes {
            let length = socklen_t(MemoryLayout<Int32>.size)
            if setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, length) != 0 {
                setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, length)
            }
        }
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = ip.bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard fd >= 0, bound == 0 else { throw ProbeError.cannotBind }
        address = NodeAddress(ip: ip, port: UInt16(bigEndian: local.sin_port))
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8], to destination: NodeAddress) throws {
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = destination.port.bigEndian
        remote.sin_addr.s_addr = destination.ip.bigEndian
        let sent = bytes.withUnsafeBytes { raw in
            withUnsafePointer(to: &remote) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, raw.baseAddress, raw.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard sent == bytes.count else { throw ProbeError.cannotSend }
    }

    /// The next datagram, or `nil` after `timeout` seconds.
    func receive(timeout: Double) -> [UInt8]? { receiveWithSender(timeout: timeout)?.bytes }

    /// The next datagram and who sent it, or `nil` after `timeout` seconds.
    func receiveWithSender(timeout: Double) -> (bytes: [UInt8], sender: NodeAddress)? {
        var wait = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var remote = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = withUnsafeMutablePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, &buffer, buffer.count, 0, $0, &length) }
        }
        guard count >= 0 else { return nil }
        let sender = NodeAddress(ip: UInt32(bigEndian: remote.sin_addr.s_addr), port: UInt16(bigEndian: remote.sin_port))
        return (Array(buffer[0..<count]), sender)
    }

    enum ProbeError: Error { case cannotBind, cannotSend }
}
