import Foundation
import TestSupport

/// Hand-built frames and capture files, byte by byte as the wire and libpcap have them.
enum TestFrames {
    static func be16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    static func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(value >> (8 * $0) & 0xFF) } }

    /// An IPv4 packet (header without options) around `payload`.
    static func ipv4(
        from source: [UInt8], to destination: [UInt8], id: Int = 7, fragmentOffset: Int = 0,
        moreFragments: Bool = false, proto: UInt8 = 17, payload: [UInt8]
    ) -> [UInt8] {
        let flags = (moreFragments ? 0x2000 : 0) | fragmentOffset / 8
        return [0x45, 0] + be16(20 + payload.count) + be16(id) + be16(flags) + [64, proto, 0, 0] + source
            + destination + payload
    }

    /// A UDP datagram (checksum 0, as UDP over IPv4 allows).
    static func udp(from sourcePort: Int, to destinationPort: Int, _ payload: [UInt8]) -> [UInt8] {
        be16(sourcePort) + be16(destinationPort) + be16(8 + payload.count) + [0, 0] + payload
    }

    static func ethernet(_ ip: [UInt8], vlan: Int? = nil) -> [UInt8] {
        let addresses = [UInt8](repeating: 0x02, count: 12)
        let tag = vlan.map { be16(0x8100) + be16($0) } ?? []
        return addresses + tag + be16(0x0800) + ip
    }

    /// Linux cooked v2: protocol, reserved, interface index, ARPHRD type, packet type, address length, address.
    static func sll2(_ ip: [UInt8], hardware: Int = 1, packetType: UInt8 = 0) -> [UInt8] {
        be16(0x0800) + [0, 0] + [0, 0, 0, 1] + be16(hardware) + [packetType, 6] + [UInt8](repeating: 0, count: 8)
            + ip
    }

    /// Linux cooked v1: packet type, ARPHRD type, address length, address, protocol.
    static func sll(_ ip: [UInt8], hardware: Int = 772, packetType: Int = 0) -> [UInt8] {
        be16(packetType) + be16(hardware) + be16(6) + [UInt8](repeating: 0, count: 8) + be16(0x0800) + ip
    }

    /// A classic pcap file (little-endian, microseconds) holding `frames`.
    static func pcapFile(linkType: Int, frames: [[UInt8]], snaplen: Int = 262_144) -> [UInt8] {
        var file = le32(0xA1B2_C3D4) + [2, 0, 4, 0] + le32(0) + le32(0) + le32(snaplen) + le32(linkType)
        for (i, frame) in frames.enumerated() {
            file += le32(1_780_000_000 + i) + le32(1000 * i) + le32(frame.count) + le32(frame.count) + frame
        }
        return file
    }

    static let peer: [UInt8] = [10, 0, 0, 1]
    static let client: [UInt8] = [10, 0, 0, 6]
    /// QUERY client 10.0.0.6:40000, ttl 3, chunks 1,3.
    static let query: [UInt8] = [0, 2, 10, 0, 0, 6] + be16(40000) + be16(3) + be16(2) + be16(1) + be16(3)

    /// A UDP QUERY from 10.0.0.1:5001 to 10.0.0.2:5002 as an IPv4 packet.
    static var queryPacket: [UInt8] {
        ipv4(from: peer, to: [10, 0, 0, 2], payload: udp(from: 5001, to: 5002, query))
    }

    /// A RESPONSE of `size` payload bytes from 10.0.0.1:5001 to the client 10.0.0.6:40000, as a UDP payload.
    static func response(chunk: Int, size: Int) -> [UInt8] {
        [0, 5] + be16(chunk) + be16(size) + (0..<size).map { UInt8($0 % 251) }
    }

    static func temporaryFile(_ bytes: [UInt8], name: String) throws -> String {
        let path = try TemporaryFolder(prefix: "capture").file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
