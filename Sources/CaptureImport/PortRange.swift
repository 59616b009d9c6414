/// The UDP ports of this protocol's peers in a capture (`5000-5999` by default), and the BPF filter for them.
package struct PortRange: Sendable, Hashable, CustomStringConvertible {
    package var lower: UInt16
    package var upper: UInt16

    package init(lower: UInt16 = 5000, upper: UInt16 = 5999) {
        self.lower = lower
        self.upper = upper
    }

    /// Parses `5000-5999` or a single port `5001`; `nil` when it is neither or the range is reversed.
    package init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let lower = UInt16(parts[0]), let upper = UInt16(parts.last ?? ""),
            lower <= upper
        else { return nil }
        self.init(lower: lower, upper: upper)
    }

    package var description: String { lower == upper ? "\(lower)" : "\(lower)-\(upper)" }

    /// UDP to or from these ports, plus every IPv4 fragment after the first: those carry no UDP header, so a
    /// port filter alone would lose the rest of a fragmented RESPONSE.
    package var bpfFilter: String {
        "(udp and portrange \(lower)-\(upper)) or (ip and ip[6:2] & 0x1fff != 0)"
    }
}
