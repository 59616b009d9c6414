import ChunkNode
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sends datagrams from a node's own socket with `sendto(2)`, one at a time, without queueing.
///
/// Used only on the channel's event loop while the channel is open.
struct SocketDatagramSender: DatagramSending, Sendable {
    let descriptor: CInt

    /// Sends the readable bytes of `buffer` to `destination`.
    ///
    /// - Returns: `nil` when sent, else the reason it failed (the kernel's error text).
    func send(_ buffer: ByteBuffer, to destination: NodeAddress) -> String? {
        var remote = sockaddr_in(destination)
        let sent = buffer.withUnsafeReadableBytes { bytes in
            withUnsafePointer(to: &remote) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        return sent < 0 ? String(cString: strerror(errno)) : nil
    }
}
