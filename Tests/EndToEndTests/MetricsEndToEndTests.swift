import Foundation
import TestSupport
import Testing

/// The metrics endpoint of real `peer` and `client` processes, scraped by a real Prometheus server.
@Suite("metrics of the course topology, real processes and a real Prometheus")
struct MetricsEndToEndTests {
    /// What the two example clients cause, per peer (see PROTOCOL.md, "The course topology"):
    /// `client p4 1,3,4,5,9` floods p4 → p5 → {p2, p3} → p1 (twice, ttl 1);
    /// `client p1 5,6,7` floods p1 → {p3, p2} → p5 (twice) → {p2, p4} and {p3, p4} (ttl 1).
    static let hellosReceived = [1: 1.0, 2: 0, 3: 0, 4: 1, 5: 0]
    static let queriesReceived = [1: 2.0, 2: 3, 3: 3, 4: 2, 5: 3]
    static let queriesForwarded = [1: 2.0, 2: 2, 3: 2, 4: 1, 5: 6]
    static let queriesExpired = [1: 2.0, 2: 1, 3: 1, 4: 2, 5: 0]
    /// Datagrams each peer sent to each neighbour minus those the neighbour received from it: one series per link
    /// direction (the received side's `node` and `neighbor` swapped).
    static let lossPerLink = """
        sum by (node, neighbor) (p2p_neighbor_datagrams_sent_total{neighbor!="other"}) - on (node, neighbor)
        sum by (node, neighbor) (label_replace(label_replace(label_replace(
          p2p_neighbor_datagrams_received_total{neighbor!="other"}, "peer_", "$1", "node", "(.*)"),
          "node", "$1", "neighbor", "(.*)"), "neighbor", "$1", "peer_", "(.*)"))
        """

    @Test("Prometheus scrapes the five peers and sees exactly the messages the example clients imply")
    func prometheusSeesTheTraffic() async throws {
        let network = try CourseNetwork()
        try await network.start { n in
            [
                "--metrics", "\(network.prefix).\(n):9100", "--metrics-file",
                network.folder.appendingPathComponent("p\(n).prom").path,
            ]
        }
        // The start-up probes already fetched a chunk from each peer: count from here.
        let servedBefore = try Self.chunksServed(in: network)
        let first = try await network.runClient(
            contact: 4, chunks: "1,3,4,5,9", outputDir: "c1",
            extra: ["--timeout", "1", "--metrics-file", network.folder.appendingPathComponent("client.prom").path])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try await network.runClient(contact: 1, chunks: "5,6,7", outputDir: "c2")
        #expect(second.status == 0, "\(second.stderr)")

        let prometheus = try PrometheusServer(
            folder: network.folder, listen: "\(network.prefix).9:9090",
            targets: (1...5).map { ("p\($0)", "\(network.prefix).\($0):9100") })
        defer { prometheus.stop() }
        let up = try await prometheus.waitFor("up", series: 5) { $0.allSatisfy { $0.value == 1 } }
        #expect(Set(up.compactMap { $0.labels["peer"] }) == ["p1", "p2", "p3", "p4", "p5"])
        try await Self.expectMessageCounts(in: prometheus, servedBefore: servedBefore)
        try await Self.expectFloodsLinksAndProcess(in: prometheus)

        await network.stop()
        try await Self.expectMetricsFiles(of: network)
    }

    /// The `p2p_chunks_served_total` of the five peers together, read from their `/metrics`.
    private static func chunksServed(in network: CourseNetwork) throws -> Double {
        var served = 0.0
        for n in 1...5 {
            let connection = try TCPConnection(host: "\(network.prefix).\(n)", port: 9100)
            try connection.send("GET /metrics HTTP/1.0\r\n\r\n")
            let text = String(decoding: connection.readToEnd(), as: UTF8.self)
            let line = text.split(separator: "\n").first { $0.hasPrefix("p2p_chunks_served_total ") }
            served += try #require(line.flatMap { Double($0.split(separator: " ")[1]) })
        }
        return served
    }

    /// The value of `query` for each peer `n` (the `peer` label `pN`), once Prometheus has all five.
    private static func perPeer(_ query: String, in prometheus: PrometheusServer) async throws -> [Int: Double] {
        let samples = try await prometheus.waitFor(query, series: 5) { _ in true }
        var result: [Int: Double] = [:]
        for sample in samples {
            if let peer = sample.labels["peer"], let n = Int(peer.dropFirst()) { result[n] = sample.value }
        }
        return result
    }

    /// Messages, bytes and handling counts are exactly those the two example clients imply.
    private static func expectMessageCounts(in prometheus: PrometheusServer, servedBefore: Double) async throws {
        func perPeer(_ query: String) async throws -> [Int: Double] { try await Self.perPeer(query, in: prometheus) }
        #expect(try await perPeer(#"p2p_messages_received_total{type="hello"}"#) == Self.hellosReceived)
        #expect(try await perPeer(#"p2p_messages_received_total{type="query"}"#) == Self.queriesReceived)
        #expect(try await perPeer(#"p2p_messages_sent_total{type="query"}"#) == Self.queriesForwarded)
        #expect(try await perPeer("p2p_queries_forwarded_total") == Self.queriesForwarded)
        #expect(try await perPeer("p2p_queries_expired_total") == Self.queriesExpired)
        #expect(try await perPeer("p2p_neighbors") == [1: 2, 2: 2, 3: 2, 4: 1, 5: 3])
        #expect(try await perPeer("p2p_chunks_held") == [1: 4, 2: 2, 3: 4, 4: 3, 5: 2])
        let served = try await perPeer("p2p_chunks_served_total")
        #expect(served.values.reduce(0, +) - servedBefore == 7, "4 chunks for the first client, 3 for the second")
        let responseBytes = try await perPeer(#"p2p_bytes_sent_total{type="response"}"#)
        let expectedResponseBytes: Double = (7 + servedBefore) * (6 + 1024)
        #expect(responseBytes.values.reduce(0, +) == expectedResponseBytes)
        let hellos = try await perPeer(#"p2p_message_handling_seconds_count{type="hello"}"#)
        #expect(hellos == Self.hellosReceived)
    }

    /// Floods, duplicates and answer times per peer; no loss on any link; the build and process families.
    private static func expectFloodsLinksAndProcess(in prometheus: PrometheusServer) async throws {
        func perPeer(_ query: String) async throws -> [Int: Double] { try await Self.perPeer(query, in: prometheus) }
        #expect(try await perPeer("p2p_floods_started_total") == Self.hellosReceived)
        // p1 is reached twice by the first flood; p2, p3, p4 and p5 twice by the second: one duplicate each.
        #expect(try await perPeer("p2p_queries_duplicate_total") == [1: 1, 2: 1, 3: 1, 4: 1, 5: 1])
        // A CHUNK_INFO per QUERY reaching a holder: p5, p2, p3 and p1 twice for the first flood; p3 and p4 twice each
        // for the second.
        #expect(try await perPeer("p2p_query_answer_seconds_count") == [1: 2, 2: 1, 3: 3, 4: 2, 5: 1])
        let links = try await prometheus.waitFor(Self.lossPerLink, series: 10) { _ in true }
        #expect(links.allSatisfy { $0.value == 0 }, "no datagram is lost on loopback: \(links)")
        #expect(Set(links.compactMap { $0.labels["neighbor"] }).count == 5)
        let build = try await prometheus.waitFor(#"p2p_build_info{role="peer"}"#, series: 5) { _ in true }
        #expect(build.allSatisfy { $0.value == 1 && $0.labels["version"]?.isEmpty == false })
        let cpu = try await prometheus.waitFor("process_start_time_seconds", series: 5) { _ in true }
        #expect(cpu.allSatisfy { $0.value > 1_577_836_800 })
    }

    /// The `--metrics-file` of p4 passes promtool; the client's file has its chunks, peers and completion.
    private static func expectMetricsFiles(of network: CourseNetwork) async throws {
        let file4 = try String(contentsOf: network.folder.appendingPathComponent("p4.prom"), encoding: .utf8)
        #expect(file4.contains(#"p2p_messages_received_total{node="\#(network.address(4))",type="hello"} 1"#))
        let check = try await ProcessRunner.run("/usr/bin/promtool", ["check", "metrics"], input: Array(file4.utf8))
        #expect(check.status == 0, "promtool on the --metrics-file output: \(check.output)")
        let client = try String(contentsOf: network.folder.appendingPathComponent("client.prom"), encoding: .utf8)
        #expect(client.contains(#"p2p_client_chunks_received_total{node="#) && client.contains("} 4\n"))
        #expect(
            client.range(of: #"p2p_client_chunks_missing_total\{node="[^"]+"\} 1\n"#, options: .regularExpression)
                != nil)
        #expect(client.contains(#"p2p_build_info{node="#) && client.contains(#"role="client""#))
        let peersUsed = #"p2p_client_peers_fetched_from\{node="[^"]+"\} 4(\.0)?\n"#
        #expect(
            client.range(of: peersUsed, options: .regularExpression) != nil,
            "9 from p5, 1 from p2, 3 from p3, 5 from p1")
        #expect(
            client.range(of: #"p2p_client_completion_seconds_count\{node="[^"]+"\} 1\n"#, options: .regularExpression)
                != nil)
    }

    @Test("a peer keeps answering UDP GETs while its metrics endpoint is hammered with HTTP edge cases")
    func udpUnderHTTPAbuse() async throws {
        let network = try CourseNetwork()
        let metricsHost = "\(network.prefix).2"
        try network.startPeer(2, extra: ["--metrics", "\(metricsHost):9100"])
        try await network.waitUntilServing(2)
        var idle: [TCPConnection] = []
        for _ in 0..<20 { idle.append(try TCPConnection(host: metricsHost, port: 9100)) }
        let oversized = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "z", count: 9000))\r\n\r\n"
        let abuse = [
            "GARBAGE GARBAGE\r\n\r\n", oversized, "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
            "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n",
            "GET /metr", "",
        ]
        var answered = 0
        let rounds = 280
        for round in 0..<rounds {
            let connection = try TCPConnection(host: metricsHost, port: 9100)
            try connection.send(abuse[round % abuse.count])
            if round % 3 == 0, round % abuse.count < 5 { _ = connection.readSome() }
            if let reply = try await UDPProbe.get(chunk: 1, from: network.address(2), timeout: 2),
                reply.starts(with: [0, 5])
            {
                answered += 1
            }
        }
        #expect(answered == rounds)
        // One address may hold 8 connections: the peer answers 503 until it has seen the abusers' closes.
        idle.removeAll()
        var text = ""
        for _ in 0..<200 where !text.hasPrefix("HTTP/1.1 200") {
            let final = try TCPConnection(host: metricsHost, port: 9100)
            try final.send("GET /metrics HTTP/1.0\r\n\r\n")
            text = String(decoding: final.readToEnd(), as: UTF8.self)
        }
        #expect(text.hasPrefix("HTTP/1.1 200"))
        let getLine = text.split(separator: "\n").first { $0.hasPrefix(#"p2p_messages_received_total{type="get"}"#) }
        #expect(getLine.flatMap { Double($0.split(separator: " ").last ?? "") }.map { $0 >= Double(rounds) } == true)
        await network.stop()
    }

    @Test("--metrics on a port in use, or not an address, stops the peer with a clear message")
    func badMetricsAddress() async throws {
        let network = try CourseNetwork()
        let taken = "\(network.prefix).2:9100"
        try network.startPeer(2, extra: ["--metrics", taken])
        try await network.waitUntilServing(2)
        let kv3 = network.folder.appendingPathComponent("data/key-values-files_peer3").path
        let clash = try await NodeProcess.run("peer", [network.address(3), kv3, "--metrics", taken], seconds: 20)
        #expect(clash.status != 0)
        #expect(clash.stderr.contains("already in use") && clash.stderr.contains(taken), "\(clash.stderr)")
        let garbage = try await NodeProcess.run(
            "peer", [network.address(3), kv3, "--metrics", "localhost"], seconds: 20)
        #expect(garbage.status != 0)
        #expect(garbage.stderr.contains("--metrics expects"), "\(garbage.stderr)")
        #expect(try await UDPProbe.get(chunk: 1, from: network.address(2), timeout: 2) != nil)
        await network.stop()
    }
}

/// A real Prometheus server scraping the peers every second, with its data in a temporary folder.
private final class PrometheusServer {
    struct Sample {
        var labels: [String: String]
        var value: Double
    }

    enum Failure: Error, CustomStringConvertible {
        case notReady(query: String, last: String, log: String)
        var description: String {
            switch self {
            case .notReady(let query, let last, let log):
                "Prometheus never answered '\(query)' as expected; last answer: \(last); its log: \(log.suffix(2000))"
            }
        }
    }

    let process = Process()
    let host: String
    let port: Int
    let logFile: URL

    init(folder: URL, listen: String, targets: [(name: String, address: String)]) throws {
        let parts = listen.split(separator: ":")
        host = String(parts[0])
        port = Int(parts[1]) ?? 9090
        var config = "global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\nscrape_configs:\n  - job_name: peers\n"
        config += "    static_configs:\n"
        for target in targets {
            config += "      - targets: ['\(target.address)']\n        labels:\n          peer: \(target.name)\n"
        }
        let configFile = folder.appendingPathComponent("prometheus.yml")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        logFile = folder.appendingPathComponent("prometheus.log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus")
        process.arguments = [
            "--config.file=\(configFile.path)", "--storage.tsdb.path=\(folder.appendingPathComponent("tsdb").path)",
            "--web.listen-address=\(listen)",
        ]
        let log = try FileHandle(forWritingTo: logFile)
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Polls an instant query (at most about 40 s) until it returns `series` samples that satisfy `accept`.
    func waitFor(_ query: String, series: Int, accept: ([Sample]) -> Bool) async throws -> [Sample] {
        var last = "nothing"
        for _ in 0..<160 {
            if let samples = try? self.query(query, last: &last), samples.count == series, accept(samples) {
                return samples
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        throw Failure.notReady(query: query, last: last, log: log)
    }

    private func query(_ promql: String, last: inout String) throws -> [Sample]? {
        let encoded = promql.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let connection = try TCPConnection(host: host, port: port)
        try connection.send("GET /api/v1/query?query=\(encoded) HTTP/1.0\r\nHost: \(host)\r\n\r\n")
        let reply = connection.readToEnd()
        guard let split = reply.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let body = Data(reply[split.upperBound...])
        last = String(decoding: body, as: UTF8.self)
        guard let json = try JSONSerialization.jsonObject(with: body) as? [String: Any],
            let data = json["data"] as? [String: Any], let result = data["result"] as? [[String: Any]]
        else { return nil }
        return result.compactMap { item in
            guard let labels = item["metric"] as? [String: String], let pair = item["value"] as? [Any], pair.count == 2,
                let text = pair[1] as? String, let value = Double(text)
            else { return nil }
            return Sample(labels: labels, value: value)
        }
    }
}

/// A blocking TCP connection for the end-to-end tests.
final class TCPConnection {
    enum Failure: Error { case connect(String, Int32) }
    private let fd: Int32

    init(host: String, port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw Failure.connect("\(host):\(port)", code)
        }
    }

    deinit { close(fd) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { return }
            offset += sent
        }
    }

    func readSome() -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return count > 0 ? Array(buffer[0..<count]) : []
    }

    func readToEnd() -> [UInt8] {
        var all: [UInt8] = []
        while true {
            let chunk = readSome()
            if chunk.isEmpty { return all }
            all += chunk
        }
    }
}
