import ChunkTrace
import Foundation
import TestSupport
import Testing

/// Real `peer` processes fed what an attacker would send.
@Suite("a peer the network cannot weaponise")
struct PeerHardeningEndToEndTests {
    /// A QUERY naming `client` (`127.0.0.1:<port>`) as the address to answer.
    private static func query(clientPort: UInt16, ttl: UInt16, chunks: [UInt16]) -> [UInt8] {
        var bytes: [UInt8] = [0, 2, 127, 0, 0, 1, UInt8(clientPort >> 8), UInt8(clientPort & 0xFF)]
        bytes += [UInt8(ttl >> 8), UInt8(ttl & 0xFF), UInt8(chunks.count >> 8), UInt8(chunks.count & 0xFF)]
        for chunk in chunks { bytes += [UInt8(chunk >> 8), UInt8(chunk & 0xFF)] }
        return bytes
    }

    @Test("a QUERY with ttl 65535 on the course topology costs what a ttl-3 flood costs, and says it was clamped")
    func stormIsClamped() async throws {
        let network = try CourseNetwork()
        let traces = network.folder.appendingPathComponent("traces").path
        let metricsHost = "\(network.prefix).1"
        try await network.start { n in ["--trace-dir", traces] + (n == 1 ? ["--metrics", "\(metricsHost):9100"] : []) }
        let storm = try UDPProbe(receiveBufferBytes: 32 << 20)
        let course = try UDPProbe(receiveBufferBytes: 32 << 20)
        let chunks = Array(UInt16(1)...9)
        try storm.send(Self.query(clientPort: storm.address.port, ttl: 65535, chunks: chunks), to: network.address(1))
        try course.send(Self.query(clientPort: course.address.port, ttl: 3, chunks: chunks), to: network.address(1))
        let stormAnswers = await storm.drain(quiet: 1)
        let courseAnswers = await course.drain(quiet: 0.2)
        #expect(courseAnswers > 0)
        #expect(stormAnswers == courseAnswers)

        let scrape = try TCPConnection(host: metricsHost, port: 9100)
        try scrape.send("GET /metrics HTTP/1.0\r\n\r\n")
        let metrics = String(decoding: scrape.readToEnd(), as: UTF8.self)
        #expect(
            metrics.split(separator: "\n").contains {
                $0.hasPrefix("p2p_queries_ttl_clamped_total") && $0.hasSuffix(" 1")
            })
        await network.stop()

        let report = try TraceReader.read(paths: [traces])
        func sends(for listener: UDPProbe) -> Int {
            let address = listener.address.description
            return report.events.filter { $0.kind == .send && ($0.client == address || $0.to == address) }.count
        }
        #expect(sends(for: course) > 0)
        #expect(sends(for: storm) == sends(for: course))
        let received = report.events.first {
            $0.kind == .recv && $0.node == network.address(1) && $0.client == storm.address.description
        }
        #expect(received?.ttl == 65535)
        #expect(received?.reason == "ttl clamped to 3 (--max-ttl)")
    }

    @Test("--max-ttl raises the limit for users who study larger ttls; bad values are refused")
    func maxTTLFlag() async throws {
        let network = try CourseNetwork()
        try await network.start { _ in ["--max-ttl", "10"] }
        let five = try UDPProbe(receiveBufferBytes: 32 << 20)
        let three = try UDPProbe(receiveBufferBytes: 32 << 20)
        let chunks = Array(UInt16(1)...9)
        try five.send(Self.query(clientPort: five.address.port, ttl: 5, chunks: chunks), to: network.address(1))
        try three.send(Self.query(clientPort: three.address.port, ttl: 3, chunks: chunks), to: network.address(1))
        #expect(await five.drain(quiet: 1) > three.drain(quiet: 0.2))
        await network.stop()
        for bad in ["0", "-1", "x"] {
            let run = try await NodeProcess.run("peer", ["127.0.0.1:0", "kv", "--max-ttl", bad])
            #expect(run.status != 0)
            #expect(run.stderr.contains("max-ttl"))
        }
        let run = try await NodeProcess.run("peer", ["127.0.0.1:0", "kv", "--response-rate-limit", "-5"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--response-rate-limit"))
    }
}
