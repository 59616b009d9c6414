import ChunkProtocol
import Foundation

/// A UDP socket on loopback (127.0.0.1 unless told) for playing a peer or client by hand in a test: send datagrams,
/// wait a bounded time for answers (on a thread of its own, `offPool`, never on the cooperative pool), count what
/// arrives.
package final class UDPProbe: @unchecked Sendable {
    private let fd: Int32
    package let address: NodeAddress

    /// - Parameters:
    ///   - ip: the address to bind.
    ///   - port: the port to bind; 0 lets the kernel pick one (`address` has it).
    ///   - receiveBufferBytes: a kernel receive buffer this big (forced past `rmem_max` when root), for tests that
    ///     take thousands of datagrams at once.
    /// - Throws: `UDPProbeError.cannotBind`.
    package init(ip: UInt32 = 0x7F00_0001, port: UInt16 = 0, receiveBufferBytes: Int32? = nil) throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw UDPProbeError.cannotBind(reason: String(cString: strerror(errno))) }
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
        local.sin_port = port.bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw UDPProbeError.cannotBind(reason: reason)
        }
        address = NodeAddress(ip: ip, port: UInt16(bigEndian: local.sin_port))
    }

    deinit { close(fd) }

    /// - Throws: `UDPProbeError.cannotSend` when the kernel refuses the datagram.
    package func send(_ bytes: [UInt8], to destination: NodeAddress) throws {
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
        guard sent == bytes.count else { throw UDPProbeError.cannotSend(to: destination) }
    }

    /// Sends to an `ip:port` text.
    package func send(_ bytes: [UInt8], to destination: String) throws {
        try send(bytes, to: try NodeAddress(parsing: destination))
    }

    /// The next datagram, or `nil` after `timeout` seconds.
    package func receive(timeout: Double) async -> [UInt8]? { await receiveWithSender(timeout: timeout)?.bytes }

    /// The next datagram and who sent it, or `nil` after `timeout` seconds.
    package func receiveWithSender(timeout: Double) async -> (bytes: [UInt8], sender: NodeAddress)? {
        await offPool { self.receiveBlocking(timeout: timeout) }
    }

    private func receiveBlocking(timeout: Double) -> (bytes: [UInt8], sender: NodeAddress)? {
        setTimeout(timeout)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var remote = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = withUnsafeMutablePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, &buffer, buffer.count, 0, $0, &length) }
        }
        guard count >= 0 else { return nil }
        let sender = NodeAddress(
            ip: UInt32(bigEndian: remote.sin_addr.s_addr), port: UInt16(bigEndian: remote.sin_port))
        return (Array(buffer[0..<count]), sender)
    }

    /// Counts datagrams until none arrives for `quiet` seconds, or `limit` have arrived.
    package func drain(quiet: Double, limit: Int = 1_000_000) async -> Int {
        await offPool { self.drainBlocking(quiet: quiet, limit: limit) }
    }

    private func drainBlocking(quiet: Double, limit: Int) -> Int {
        setTimeout(quiet)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var count = 0
        while count < limit, recv(fd, &buffer, buffer.count, 0) >= 0 { count += 1 }
        return count
    }

    /// Sends `datagram` to `address` (`ip:port`) from a fresh probe and returns the first answer, if any.
    package static func exchange(_ datagram: [UInt8], with address: String, timeout: Double = 0.2) async throws
        -> [UInt8]?
    {
        let probe = try UDPProbe()
        try probe.send(datagram, to: address)
        return await probe.receive(timeout: timeout)
    }

    /// Sends `GET [chunk]` to `address` (`ip:port`) and returns the answer's bytes, or `nil` after `timeout` seconds.
    package static func get(chunk: UInt16, from address: String, timeout: Double = 0.2) async throws -> [UInt8]? {
        try await exchange([0, 4, 0, 1, UInt8(chunk >> 8), UInt8(chunk & 0xFF)], with: address, timeout: timeout)
    }

    private func setTimeout(_ seconds: Double) {
        var wait = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
    }
}
