import Plurals

/// What a capture held, counted while decoding it.
package struct CaptureStatistics: Sendable, Hashable {
    /// Packets read from the capture.
    package var packets = 0
    /// Datagrams of this protocol decoded (each becomes a send and a receive).
    package var datagrams = 0
    /// UDP datagrams that are not a valid message of this protocol, by reason (`unknown_type`, `truncated`, …).
    package var notProtocol: [String: Int] = [:]
    /// Packets cut by the capture's snaplen.
    package var truncated = 0
    /// Packets that are not IPv4 UDP (IPv6, ARP, TCP, …).
    package var otherTraffic = 0
    /// Frames or IPv4/UDP headers too short or inconsistent to decode.
    package var malformed = 0
    /// Outgoing copies of loopback packets in a Linux cooked capture, counted once as incoming.
    package var loopbackCopies = 0
    /// Fragments that arrived, and fragmented datagrams given up (fragments missing or the memory bound hit).
    package var fragments = 0
    package var fragmentedDatagramsLost = 0

    package init() {}

    /// The number of datagrams skipped because they are not this protocol.
    package var notProtocolTotal: Int { notProtocol.values.reduce(0, +) }

    /// One paragraph for the user, e.g. `1,204 packets: 1,190 datagrams of this protocol, 3 not this protocol …`.
    package var summary: String {
        var parts = ["\(counted(datagrams, "datagram")) of this protocol"]
        if notProtocolTotal > 0 {
            let reasons = notProtocol.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            parts.append("\(counted(notProtocolTotal, "UDP datagram")) not this protocol, skipped (\(reasons))")
        }
        if truncated > 0 { parts.append("\(counted(truncated, "packet")) cut by the snaplen, skipped") }
        if otherTraffic > 0 { parts.append("\(counted(otherTraffic, "packet")) of other traffic") }
        if malformed > 0 { parts.append("\(counted(malformed, "malformed packet")), skipped") }
        if loopbackCopies > 0 {
            parts.append(
                "\(counted(loopbackCopies, "outgoing loopback copy", plural: "outgoing loopback copies")) ignored")
        }
        if fragments > 0 { parts.append("\(counted(fragments, "IPv4 fragment")) reassembled") }
        if fragmentedDatagramsLost > 0 {
            parts.append("\(counted(fragmentedDatagramsLost, "fragmented datagram")) incomplete, skipped")
        }
        return "\(counted(packets, "packet")): " + parts.joined(separator: ", ")
    }
}
