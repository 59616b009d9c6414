import NIOCore

/// Hands encoded datagrams to the network: the seam between a node driver and a socket, a test channel or a
/// simulated network.
package protocol DatagramSending {
    /// Sends the readable bytes of `datagram` to `destination`.
    ///
    /// - Returns: `nil` when sent, else why not (for a socket, the kernel's error text); a failure affects this
    ///   datagram only.
    func send(_ datagram: ByteBuffer, to destination: NodeAddress) -> String?

    /// Whether a driver queues its datagrams in an `OutgoingBatch` and sends them together when flushed (a socket
    /// sending many datagrams per system call), rather than one by one as they are made.
    var sendsInBatches: Bool { get }

    /// Sends every datagram of `batch`, in order; calls `refused` with the index and the reason of each one that
    /// failed (that one only: the others are still sent).
    func send(_ batch: OutgoingBatch, refused: (_ index: Int, _ reason: String) -> Void)
}

extension DatagramSending {
    package var sendsInBatches: Bool { false }

    package func send(_ batch: OutgoingBatch, refused: (_ index: Int, _ reason: String) -> Void) {
        for index in batch.entries.indices {
            if let reason = send(batch.datagram(at: index), to: batch.entries[index].outgoing.destination) {
                refused(index, reason)
            }
        }
    }
}
