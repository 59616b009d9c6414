/// Why a capture could not be read (wholly or from some packet on), said so that the user knows what to do.
package enum CaptureError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file does not exist or cannot be opened.
    case unreadableFile(path: String, reason: String)
    /// The file is neither pcap nor pcapng.
    case notACapture(path: String, reason: String)
    /// The capture's link-layer type is one this tool does not decode.
    case unsupportedLinkType(source: String, dlt: Int32, name: String)
    /// The file ends or breaks inside packet `packet`; the packets before it were read.
    case damaged(path: String, packet: Int, reason: String)
    /// libpcap refused the port filter.
    case badFilter(filter: String, reason: String)
    /// The interface cannot be captured on (missing, or not allowed).
    case interfaceUnavailable(interface: String, reason: String)
    /// A live capture failed while running.
    case captureFailed(interface: String, packet: Int, reason: String)

    package var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            "\(path): cannot open (\(reason)); give a pcap or pcapng file written by tcpdump, tshark or dumpcap"
        case .notACapture(let path, let reason):
            "\(path): not a pcap or pcapng capture (libpcap: \(reason)); give a file written by tcpdump -w, "
                + "tshark -w or dumpcap"
        case .unsupportedLinkType(let source, let dlt, let name):
            "\(source): packet 1: link-layer type \(name) (DLT \(dlt)) is not supported; "
                + "capture with tcpdump -i any or on an Ethernet, bridge or loopback interface "
                + "(supported: \(LinkType.supportedNames))"
        case .damaged(let path, let packet, let reason):
            "\(path): packet \(packet): the capture is damaged or cut mid-packet (libpcap: \(reason)); "
                + "the packets before it were imported"
        case .badFilter(let filter, let reason):
            "the capture filter '\(filter)' is refused by libpcap: \(reason)"
        case .interfaceUnavailable(let interface, let reason):
            "cannot capture on \(interface): \(reason) (capturing needs root or CAP_NET_RAW; "
                + "`ip link` lists the interfaces)"
        case .captureFailed(let interface, let packet, let reason):
            "capture on \(interface) failed after packet \(packet - 1): \(reason); the packets before were kept"
        }
    }
}
