import Foundation

/// A plain blocking UDP socket for poking a peer from a test: sends one datagram, waits briefly for an answer.
enum LoopbackProbe {
    /// Sends `GET [chunk]` to `address` and returns the answer's bytes, or `nil` after `timeout` seconds.
    static func get(chunk: UInt16, from address: String, timeout: Double = 0.2) throws -> [UInt8]? {
        try exchange([0, 4, 0, 1, UInt8(chunk >> 8), UInt8(chunk & 0xFF)], with: address, timeout: timeout)
    }

    /// Sends `datagram` to `address` (`ip:port`) from a fresh socket and returns the first answer, if any.
    static func exchange(_ datagram: [UInt8], with address: String, timeout: Double = 0.2) throws -> [UInt8]? {
        let parts = address.split(separator: ":")
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0, parts.count == 2, let port = UInt16(parts[1]) else { throw ProbeError.badAddress(address) }
        defer { close(fd) }
        var wait = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = port.bigEndian
        inet_pton(AF_INET, String(parts[0]), &remote.sin_addr)
        let sent = datagram.withUnsafeBytes { bytes in
            withUnsafePointer(to: &remote) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard sent == datagram.count else { return nil }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let received = recv(fd, &buffer, buffer.count, 0)
        return received < 0 ? nil : Array(buffer[0..<received])
    }

    enum ProbeError: Error { case badAddress(String) }
}
