import CDatagramIO
import ChunkNode
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a blocking UDP socket a burst at a time with `recvmmsg(2)`, into memory kept from one burst to the next:
/// no allocation, no address formatting per datagram.
struct BurstReceiver: ~Copyable {
    /// Datagrams read per system call at most.
    static let slots = Int(P2P_RECEIVE_BATCH_MAX)
    /// Bytes of one read slot: any UDP datagram (at most 65,507 bytes of payload over IPv4) fits, so none is cut.
    static let slotBytes = 65_536

    /// What one wait for a burst ended with.
    enum Outcome {
        /// This many datagrams were handed over.
        case received(Int)
        /// Nothing was read: interrupted, or the socket was shut down for reading.
        case idle
        /// The socket reported an error (`errno`'s text); the next read may succeed.
        case failed(String)
    }

    private let descriptor: CInt
    /// The slots, back to back; reading into it allocates anew only when a datagram of the last burst is still held.
    private var buffer: ByteBuffer
    private let received: UnsafeMutablePointer<p2p_received>

    init(descriptor: CInt) {
        self.descriptor = descriptor
        buffer = ByteBufferAllocator().buffer(capacity: Self.slots * Self.slotBytes)
        received = .allocate(capacity: Self.slots)
    }

    deinit {
        received.deallocate()
    }

    /// Waits for at least one datagram, then hands each one queued (up to `slots`) in arrival order to `handle`
    /// with its source.
    mutating func receiveBurst(_ handle: (ByteBuffer, NodeAddress) -> Void) -> Outcome {
        buffer.clear()
        let (descriptor, received) = (descriptor, received)
        let count = buffer.withUnsafeMutableWritableBytes { bytes in
            p2p_receive_datagrams(
                descriptor, bytes.baseAddress, Self.slotBytes, CUnsignedInt(Self.slots), received)
        }
        guard count > 0 else {
            let code = errno
            if count == 0 || code == EAGAIN || code == EINTR { return .idle }
            return .failed(String(cString: strerror(code)))
        }
        let last = Int(count) - 1
        buffer.moveWriterIndex(to: last * Self.slotBytes + received[last].length)
        for index in 0..<Int(count) {
            let datagram = received[index]
            guard let bytes = buffer.getSlice(at: index * Self.slotBytes, length: datagram.length) else { continue }
            handle(bytes, NodeAddress(ip: UInt32(bigEndian: datagram.ip_be), port: UInt16(bigEndian: datagram.port_be)))
        }
        return .received(Int(count))
    }
}
