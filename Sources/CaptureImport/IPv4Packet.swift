/// The fields of an IPv4 header this tool uses, and the packet's payload.
struct IPv4Packet: Equatable {
    var source: UInt32
    var destination: UInt32
    var identification: UInt16
    var proto: UInt8
    /// Offset of this fragment's payload in the datagram, in bytes.
    var fragmentOffset: Int
    var moreFragments: Bool
    /// The payload, up to the header's total length (link-layer padding left out).
    var payload: ArraySlice<UInt8>

    static let udp: UInt8 = 17

    var isFragment: Bool { moreFragments || fragmentOffset > 0 }

    /// Parses an IPv4 packet; `nil` when the header is not a valid IPv4 header or the packet is shorter than the
    /// header says (which a snaplen cut is reported as before this is called).
    init?(_ bytes: ArraySlice<UInt8>) {
        var reader = WireReader(bytes)
        guard let versionAndLength = reader.uint8(), versionAndLength >> 4 == 4 else { return nil }
        let headerLength = Int(versionAndLength & 0x0F) * 4
        guard headerLength >= 20, reader.skip(1), let totalLength = reader.uint16(),
            Int(totalLength) >= headerLength, Int(totalLength) <= bytes.count,
            let identification = reader.uint16(), let flagsAndOffset = reader.uint16(), reader.skip(1),
            let proto = reader.uint8(), reader.skip(2), let source = reader.uint32(), let destination = reader.uint32()
        else { return nil }
        self.source = source
        self.destination = destination
        self.identification = identification
        self.proto = proto
        fragmentOffset = Int(flagsAndOffset & 0x1FFF) * 8
        moreFragments = flagsAndOffset & 0x2000 != 0
        let start = bytes.startIndex
        payload = bytes[(start + headerLength)..<(start + Int(totalLength))]
    }
}
