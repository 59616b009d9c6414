/// An IPv4 address and UDP port, the only kind of address the protocol carries.
package struct NodeAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The IPv4 address in host order: `127.0.0.1` is `0x7F00_0001`.
    package var ip: UInt32
    package var port: UInt16

    package init(ip: UInt32, port: UInt16) {
        self.ip = ip
        self.port = port
    }

    /// The unspecified address `0.0.0.0:0`, used in the client log for chunks that never arrived.
    package static let unspecified = NodeAddress(ip: 0, port: 0)

    /// Parses `a.b.c.d:port`.
    ///
    /// - Throws: `NodeAddressError` naming what is wrong with the text.
    package init(parsing text: some StringProtocol) throws(NodeAddressError) {
        guard let colon = text.lastIndex(of: ":") else { throw .missingPort(String(text)) }
        let host = text[..<colon]
        let portText = text[text.index(after: colon)...]
        guard let ip = NodeAddress.parseIPv4(host) else { throw .badIPv4(String(text)) }
        guard let port = UInt16(portText) else { throw .badPort(String(text)) }
        self.init(ip: ip, port: port)
    }

    /// Parses dotted-quad IPv4 text, returning `nil` for anything else.
    package static func parseIPv4(_ text: some StringProtocol) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCIIDigit), let octet = UInt8(part) else {
                return nil
            }
            value = value << 8 | UInt32(octet)
        }
        return value
    }

    /// The dotted-quad text of the IP alone.
    package var ipString: String {
        "\(ip >> 24).\(ip >> 16 & 0xFF).\(ip >> 8 & 0xFF).\(ip & 0xFF)"
    }

    /// The four octets in network order.
    package var octets: (UInt8, UInt8, UInt8, UInt8) {
        (UInt8(ip >> 24), UInt8(ip >> 16 & 0xFF), UInt8(ip >> 8 & 0xFF), UInt8(ip & 0xFF))
    }

    package var description: String { "\(ipString):\(port)" }

    package static func < (lhs: NodeAddress, rhs: NodeAddress) -> Bool {
        (lhs.ip, lhs.port) < (rhs.ip, rhs.port)
    }
}

/// Why a text is not an `ip:port` address.
package enum NodeAddressError: Error, Hashable, Sendable, CustomStringConvertible {
    case missingPort(String)
    case badIPv4(String)
    case badPort(String)

    package var description: String {
        switch self {
        case .missingPort(let text):
            "'\(text)' is not an address: expected <ipv4>:<port>, e.g. 10.0.0.1:5001"
        case .badIPv4(let text):
            "'\(text)' does not start with an IPv4 address (four numbers 0-255 joined by dots)"
        case .badPort(let text):
            "'\(text)' does not end with a port number from 0 to 65535"
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
