import CDatagramIO
import ChunkNode
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sends datagrams from a node's own socket, without queueing in NIO: one with `sendto(2)`, a batch (the answers
/// of one read burst) with `sendmmsg(2)`, up to 64 a call. Sends never wait, even on a blocking socket: a datagram
/// the kernel cannot take at once fails alone (EAGAIN).
///
/// Used only on the thread that reads the socket (a client's event loop, a peer's socket thread) while it is open.
struct SocketDatagramSender: DatagramSending, Sendable {
    let descriptor: CInt

    var sendsInBatches: Bool { true }

    /// Sends the readable bytes of `buffer` to `destination`.
    ///
    /// - Returns: `nil` when sent, else the reason it failed (the kernel's error text).
    func send(_ buffer: ByteBuffer, to destination: NodeAddress) -> String? {
        var remote = sockaddr_in(destination)
        let sent = buffer.withUnsafeReadableBytes { bytes in
            withUnsafePointer(to: &remote) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    let length = socklen_t(MemoryLayout<sockaddr_in>.size)
                    return sendto(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT), $0, length)
                }
            }
        }
        return sent < 0 ? String(cString: strerror(errno)) : nil
    }

    /// Sends every datagram of `batch` with as few `sendmmsg(2)` calls as the kernel allows; a datagram it refuses
    /// (EPERM from a firewall, ENETUNREACH…) is reported through `refused` and skipped alone.
    func send(_ batch: OutgoingBatch, refused: (_ index: Int, _ reason: String) -> Void) {
        let entries = batch.entries
        batch.bytes.withUnsafeReadableBytes { bytes in
            withUnsafeTemporaryAllocation(of: p2p_datagram.self, capacity: entries.count) { datagrams in
                for (index, entry) in entries.enumerated() {
                    let destination = entry.outgoing.destination
                    datagrams[index] = p2p_datagram(
                        bytes: bytes.baseAddress.map { $0 + (entry.offset - batch.bytes.readerIndex) },
                        length: entry.length, ip_be: destination.ip.bigEndian, port_be: destination.port.bigEndian)
                }
                var next = 0
                while next < entries.count {
                    let sent = p2p_send_datagrams(
                        descriptor, datagrams.baseAddress.map { $0 + next }, CUnsignedInt(entries.count - next))
                    if sent > 0 {
                        next += Int(sent)
                        continue
                    }
                    let code = errno
                    if code == EINTR { continue }
                    refused(next, String(cString: strerror(code)))
                    next += 1
                }
            }
        }
    }
}
