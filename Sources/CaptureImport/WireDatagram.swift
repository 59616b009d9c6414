import ChunkProtocol

/// One message of this protocol seen on the wire: who sent it to whom, and when.
package struct WireDatagram: Sendable, Hashable {
    /// Capture time, in microseconds since the Unix epoch.
    package var timestamp: Int64
    package var source: NodeAddress
    package var destination: NodeAddress
    /// The UDP payload length.
    package var bytes: Int
    package var message: ChunkMessage
    /// The number of the packet that completed it in its capture.
    package var packet: Int

    package init(
        timestamp: Int64, source: NodeAddress, destination: NodeAddress, bytes: Int, message: ChunkMessage,
        packet: Int
    ) {
        self.timestamp = timestamp
        self.source = source
        self.destination = destination
        self.bytes = bytes
        self.message = message
        self.packet = packet
    }
}
