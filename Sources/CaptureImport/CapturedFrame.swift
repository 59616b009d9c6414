/// One packet as a capture holds it: the link-layer frame, possibly cut short by the capture's snaplen.
package struct CapturedFrame: Sendable, Hashable {
    /// The packet's position in its capture, from 1.
    package var number: Int
    /// When it was captured, in microseconds since the Unix epoch.
    package var timestamp: Int64
    /// The captured bytes (`caplen` of them).
    package var bytes: [UInt8]
    /// The packet's length on the wire; above `bytes.count` when the snaplen cut it.
    package var originalLength: Int

    package init(number: Int, timestamp: Int64, bytes: [UInt8], originalLength: Int? = nil) {
        self.number = number
        self.timestamp = timestamp
        self.bytes = bytes
        self.originalLength = originalLength ?? bytes.count
    }

    /// Whether the snaplen cut the packet.
    package var isTruncated: Bool { originalLength > bytes.count }
}
