import ChunkProtocol

/// A UDP datagram between two IPv4 endpoints.
struct UDPDatagram: Equatable {
    var source: NodeAddress
    var destination: NodeAddress
    var payload: ArraySlice<UInt8>

    /// Parses the UDP header of a whole (reassembled) IPv4 payload; `nil` when it is shorter than its length field.
    init?(sourceIP: UInt32, destinationIP: UInt32, _ bytes: ArraySlice<UInt8>) {
        var reader = WireReader(bytes)
        guard let sourcePort = reader.uint16(), let destinationPort = reader.uint16(), let length = reader.uint16(),
            reader.skip(2), Int(length) >= 8, Int(length) <= bytes.count
        else { return nil }
        source = NodeAddress(ip: sourceIP, port: sourcePort)
        destination = NodeAddress(ip: destinationIP, port: destinationPort)
        payload = bytes[(bytes.startIndex + 8)..<(bytes.startIndex + Int(length))]
    }
}
