/// An IPv4 address and port as a trace writes it: `10.0.0.1:5001`.
package struct TraceAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address in host order (`10.0.0.1` is `0x0A00_0001`).
    package var ip: UInt32
    package var port: UInt16

    package init(ip: UInt32, port: UInt16) {
        self.ip = ip
        self.port = port
    }

    package var description: String {
        "\(ip >> 24).\(ip >> 16 & 0xFF).\(ip >> 8 & 0xFF).\(ip & 0xFF):\(port)"
    }

    /// Appends `"a.b.c.d:port"` (with quotes) without making a `String`.
    func appendJSON(to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        JSONBytes.appendDecimal(UInt64(ip >> 24), to: &buffer)
        buffer.append(UInt8(ascii: "."))
        JSONBytes.appendDecimal(UInt64(ip >> 16 & 0xFF), to: &buffer)
        buffer.append(UInt8(ascii: "."))
        JSONBytes.appendDecimal(UInt64(ip >> 8 & 0xFF), to: &buffer)
        buffer.append(UInt8(ascii: "."))
        JSONBytes.appendDecimal(UInt64(ip & 0xFF), to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        JSONBytes.appendDecimal(UInt64(port), to: &buffer)
        buffer.append(UInt8(ascii: "\""))
    }
}
