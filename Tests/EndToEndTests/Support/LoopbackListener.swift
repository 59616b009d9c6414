import Foundation

/// A UDP socket on 127.0.0.1 with a large receive buffer, for counting what peers send to one address.
final class LoopbackListener {
    private let fd: Int32
    /// `127.0.0.1:<port>`.
    let address: String
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        self.fd = fd
        var size: Int32 = 32 << 20
        if setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard fd >= 0, bound == 0 else { throw LoopbackProbe.ProbeError.badAddress("127.0.0.1:0") }
        port = UInt16(bigEndian: local.sin_port)
        address = "127.0.0.1:\(port)"
    }

    deinit { close(fd) }

    /// Sends `datagram` to `destination` (`ip:port`).
    func send(_ datagram: [UInt8], to destination: String) {
        let parts = destination.split(separator: ":")
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = (UInt16(parts.last ?? "") ?? 0).bigEndian
        inet_pton(AF_INET, String(parts.first ?? ""), &remote.sin_addr)
        _ = datagram.withUnsafeBytes { bytes in
            withUnsafePointer(to: &remote) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    /// Counts datagrams until none arrives for `quiet` seconds, or `limit` have arrived.
    func drain(quiet: Double, limit: Int = 1_000_000) -> Int {
        var wait = timeval(tv_sec: Int(quiet), tv_usec: Int((quiet - Double(Int(quiet))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var count = 0
        while count < limit, recv(fd, &buffer, buffer.count, 0) >= 0 { count += 1 }
        return count
    }
}
