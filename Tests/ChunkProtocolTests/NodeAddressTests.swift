import ChunkProtocol
import Testing

struct NodeAddressTests {
    @Test("ip:port text parses and prints back")
    func parsesAndPrints() throws {
        let address = try NodeAddress(parsing: "10.0.0.3:5003")
        #expect(address.ip == 0x0A00_0003)
        #expect(address.port == 5003)
        #expect(address.description == "10.0.0.3:5003")
        #expect(NodeAddress.unspecified.description == "0.0.0.0:0")
    }

    @Test(
        "bad addresses are rejected with the reason",
        arguments: [
            ("10.0.0.3", "expected <ipv4>:<port>"), ("10.0.0:5003", "IPv4"), ("10.0.0.256:1", "IPv4"),
            ("10.0.0.1:70000", "port"), ("10.0.0.1:", "port"), ("host:5003", "IPv4"), ("1.2.3.4.5:1", "IPv4"),
            ("-1.0.0.0:1", "IPv4"),
        ])
    func rejectsBadAddresses(text: String, mentions: String) {
        #expect {
            try NodeAddress(parsing: text)
        } throws: { error in
            "\(error)".contains(mentions) && "\(error)".contains(text)
        }
    }
}
