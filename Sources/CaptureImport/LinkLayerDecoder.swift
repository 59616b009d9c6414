/// What a link-layer frame carries, as far as this tool cares.
enum LinkPayload: Equatable {
    /// An IPv4 packet (header included).
    case ipv4(ArraySlice<UInt8>)
    /// Something else (IPv6, ARP, …), named for the statistics.
    case otherProtocol
    /// The outgoing copy of a packet on a loopback device, which a Linux cooked capture (`-i any`) also holds as
    /// an incoming packet: counted once.
    case loopbackCopy
    /// A frame shorter than its link header.
    case shortFrame
}

/// Takes the link-layer header off a captured frame.
enum LinkLayerDecoder {
    private static let ipv4EtherType: UInt16 = 0x0800
    private static let vlanEtherTypes: Set<UInt16> = [0x8100, 0x88A8, 0x9100]
    private static let loopbackHardwareType: UInt16 = 772
    private static let outgoingPacketType: UInt16 = 4

    static func payload(of frame: ArraySlice<UInt8>, linkType: LinkType) -> LinkPayload {
        var reader = WireReader(frame)
        switch linkType {
        case .ethernet:
            guard reader.skip(12), var etherType = reader.uint16() else { return .shortFrame }
            while vlanEtherTypes.contains(etherType) {
                guard reader.skip(2), let inner = reader.uint16() else { return .shortFrame }
                etherType = inner
            }
            return etherType == ipv4EtherType ? .ipv4(reader.rest) : .otherProtocol
        case .null(let bigEndian):
            guard let family = reader.uint32(bigEndian: bigEndian) else { return .shortFrame }
            // AF_INET is 2 everywhere; a NULL header is in the writer's byte order, which may not be ours.
            return family == 2 || family == 0x0200_0000 ? .ipv4(reader.rest) : .otherProtocol
        case .raw:
            guard let first = frame.first else { return .shortFrame }
            return first >> 4 == 4 ? .ipv4(frame) : .otherProtocol
        case .linuxSLL:
            guard let packetType = reader.uint16(), let hardware = reader.uint16(), reader.skip(10),
                let proto = reader.uint16()
            else { return .shortFrame }
            return cooked(proto: proto, hardware: hardware, packetType: packetType, rest: reader.rest)
        case .linuxSLL2:
            guard let proto = reader.uint16(), reader.skip(6), let hardware = reader.uint16(),
                let packetType = reader.uint8(), reader.skip(9)
            else { return .shortFrame }
            return cooked(proto: proto, hardware: hardware, packetType: UInt16(packetType), rest: reader.rest)
        }
    }

    private static func cooked(proto: UInt16, hardware: UInt16, packetType: UInt16, rest: ArraySlice<UInt8>)
        -> LinkPayload
    {
        if hardware == loopbackHardwareType, packetType == outgoingPacketType { return .loopbackCopy }
        return proto == ipv4EtherType ? .ipv4(rest) : .otherProtocol
    }
}
