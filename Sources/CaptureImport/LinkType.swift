/// The link-layer header types (libpcap `DLT_`/`LINKTYPE_` values) a capture may be decoded from.
package enum LinkType: Sendable, Hashable, CustomStringConvertible {
    /// Ethernet II, with 802.1Q/802.1ad VLAN tags.
    case ethernet
    /// BSD loopback (`DLT_NULL`/`DLT_LOOP`): a 4-byte address family, host order (NULL) or big-endian (LOOP).
    case null(bigEndian: Bool)
    /// Raw IP, no link header.
    case raw
    /// Linux cooked capture v1 (`tcpdump -i any` before libpcap 1.10).
    case linuxSLL
    /// Linux cooked capture v2 (`tcpdump -i any` since libpcap 1.10).
    case linuxSLL2

    /// The type for a libpcap `pcap_datalink` value; `nil` when it is not one this tool decodes.
    package init?(dlt: Int32) {
        switch dlt {
        case 1: self = .ethernet
        case 0: self = .null(bigEndian: false)
        case 108: self = .null(bigEndian: true)
        case 12, 14, 101, 228: self = .raw
        case 113: self = .linuxSLL
        case 276: self = .linuxSLL2
        default: return nil
        }
    }

    package var description: String {
        switch self {
        case .ethernet: "Ethernet"
        case .null(let bigEndian): bigEndian ? "OpenBSD loopback" : "BSD loopback"
        case .raw: "raw IP"
        case .linuxSLL: "Linux cooked (SLL)"
        case .linuxSLL2: "Linux cooked v2 (SLL2)"
        }
    }

    /// The link types this tool decodes, for messages.
    package static let supportedNames = "Ethernet, Linux cooked (SLL, SLL2), loopback (NULL/LOOP) and raw IPv4"
}
