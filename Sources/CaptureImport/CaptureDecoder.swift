import ChunkProtocol

/// Turns captured frames into datagrams of this protocol: link layer, IPv4 (with fragment reassembly), UDP, then
/// the protocol's own decoder. Pure: frames in, datagrams and counts out.
package struct CaptureDecoder {
    package let linkType: LinkType
    package private(set) var statistics = CaptureStatistics()
    private var reassembler = FragmentReassembler()

    package init(linkType: LinkType) {
        self.linkType = linkType
    }

    /// What one frame turned out to be.
    package enum Outcome: Sendable, Hashable {
        /// A datagram of this protocol.
        case datagram(WireDatagram)
        /// Nothing to trace (other traffic, a fragment waiting for the rest, a datagram of another protocol).
        case skipped
        /// Cut by the capture's snaplen: reported to the user, with the packet number.
        case truncated(captured: Int, original: Int)
    }

    /// Decodes one frame, counting what it was.
    package mutating func decode(_ frame: CapturedFrame) -> Outcome {
        statistics.packets += 1
        if frame.isTruncated {
            statistics.truncated += 1
            return .truncated(captured: frame.bytes.count, original: frame.originalLength)
        }
        let ip: ArraySlice<UInt8>
        switch LinkLayerDecoder.payload(of: frame.bytes[...], linkType: linkType) {
        case .ipv4(let bytes): ip = bytes
        case .otherProtocol:
            statistics.otherTraffic += 1
            return .skipped
        case .loopbackCopy:
            statistics.loopbackCopies += 1
            return .skipped
        case .shortFrame:
            statistics.malformed += 1
            return .skipped
        }
        guard let packet = IPv4Packet(ip) else {
            statistics.malformed += 1
            return .skipped
        }
        guard packet.proto == IPv4Packet.udp else {
            statistics.otherTraffic += 1
            return .skipped
        }
        guard packet.isFragment else { return udp(packet.payload, of: packet, frame: frame) }
        statistics.fragments += 1
        let whole = reassembler.add(packet, at: frame.timestamp)
        statistics.fragmentedDatagramsLost = reassembler.abandoned
        guard let whole else { return .skipped }
        return udp(whole[...], of: packet, frame: frame)
    }

    /// Ends the capture: fragmented datagrams still incomplete are counted as lost.
    package mutating func finish() {
        _ = reassembler.abandonAll()
        statistics.fragmentedDatagramsLost = reassembler.abandoned
    }

    private mutating func udp(_ bytes: ArraySlice<UInt8>, of packet: IPv4Packet, frame: CapturedFrame) -> Outcome {
        guard let udp = UDPDatagram(sourceIP: packet.source, destinationIP: packet.destination, bytes) else {
            statistics.malformed += 1
            return .skipped
        }
        let message: ChunkMessage
        do {
            message = try ChunkMessage(decoding: udp.payload)
        } catch {
            statistics.notProtocol[error.reason, default: 0] += 1
            return .skipped
        }
        statistics.datagrams += 1
        return .datagram(
            WireDatagram(
                timestamp: frame.timestamp, source: udp.source, destination: udp.destination,
                bytes: udp.payload.count, message: message, packet: frame.number))
    }
}
