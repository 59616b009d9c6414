import NIOCore
import NIOPosix
import TestSupport
import Testing

@testable import ChunkMetrics

@Suite("The /metrics endpoint over real TCP on 127.0.0.1")
struct MetricsServerTests {
    static let reasons = NodeMetricsTests.reasons

    /// Starts an endpoint for a busy peer's metrics, runs `body`, and closes it.
    static func withServer(
        _ configuration: MetricsServerConfiguration = .init(idleTimeout: .seconds(5)),
        _ body: (MetricsServer, NodeMetrics) async throws -> Void
    ) async throws {
        let metrics = NodeMetricsTests.busyPeer()
        let server = try await MetricsServer.start(
            configuration: configuration, eventLoop: MultiThreadedEventLoopGroup.singleton.next(),
            render: { metrics.render() })
        do {
            try await body(server, metrics)
        } catch {
            await server.close()
            throw error
        }
        await server.close()
    }

    static func get(_ path: String, headers: String = "") -> String {
        "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(headers)\r\n"
    }

    @Test("GET /metrics answers the text format with its content type and length, and promtool accepts it")
    func getMetrics() async throws {
        try await Self.withServer { server, _ in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send(Self.get("/metrics"))
            let reply = try connection.readReply()
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            #expect(reply.header("Content-Length") == String(reply.body.count))
            #expect(reply.header("Content-Encoding") == nil)
            let parsed = try ParsedExposition(reply.body)
            #expect(parsed.value("p2p_messages_sent_total", ["type": "query"]) == 2)
            let check = try await ProcessRunner.run("/usr/bin/promtool", ["check", "metrics"], input: reply.body)
            #expect(check.status == 0, "promtool: \(check.stderr)")
            #expect(check.stderr.isEmpty, "promtool: \(check.stderr)")
        }
    }

    @Test("HEAD /metrics sends the GET headers and no body; the connection stays usable")
    func headMetrics() async throws {
        try await Self.withServer { server, _ in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try connection.readReply(head: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Type") == ScrapeResponse.metricsContentType)
            let length = try #require(head.header("Content-Length").flatMap { Int($0) })
            #expect(length > 1000)
            try connection.send(Self.get("/metrics"))
            let get = try connection.readReply()
            #expect(get.status == 200)
            #expect(try ParsedExposition(get.body).families.count > 20)
        }
    }

    @Test("gzip is used when Accept-Encoding allows it, and decompresses to the metrics")
    func gzip() async throws {
        try await Self.withServer { server, _ in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send(Self.get("/metrics", headers: "Accept-Encoding: gzip\r\n"))
            let zipped = try connection.readReply()
            #expect(zipped.status == 200)
            #expect(zipped.header("Content-Encoding") == "gzip")
            // Both requests before gzip runs: a slow machine could hold this test past the 5 s idle timeout.
            try connection.send(Self.get("/metrics", headers: "Accept-Encoding: identity, gzip;q=0\r\n"))
            let unzipped = try connection.readReply()
            #expect(unzipped.header("Content-Encoding") == nil)
            let plain = try await ProcessRunner.run("/usr/bin/gzip", ["-dc"], input: zipped.body)
            #expect(plain.status == 0, "gzip: \(plain.stderr)")
            let decompressed = try ParsedExposition(plain.stdoutBytes)
            let direct = try ParsedExposition(unzipped.body)
            #expect(decompressed.samples.map(\.series) == direct.samples.map(\.series))
            #expect(decompressed.value("p2p_bytes_sent_total", ["type": "response"]) == 1030)
        }
    }

    @Test("unknown paths get 404, / gets a page linking to /metrics, other methods get 405 with Allow")
    func routing() async throws {
        try await Self.withServer { server, _ in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send(Self.get("/nothing-here"))
            #expect(try connection.readReply().status == 404)
            try connection.send(Self.get("/metrics/extra"))
            #expect(try connection.readReply().status == 404)
            try connection.send(Self.get("/metrics?name[]=x"))
            #expect(try connection.readReply().status == 200)
            try connection.send(Self.get("/"))
            let page = try connection.readReply()
            #expect(page.status == 200)
            #expect(page.header("Content-Type")?.hasPrefix("text/html") == true)
            #expect(String(decoding: page.body, as: UTF8.self).contains("href=\"/metrics\""))
            for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
                try connection.send("\(method) /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
                let reply = try connection.readReply()
                #expect(reply.status == 405, "\(method)")
                #expect(reply.header("Allow") == "GET, HEAD")
            }
        }
    }

    @Test("pipelined requests on one keep-alive connection are answered in order")
    func pipelining() async throws {
        try await Self.withServer { server, _ in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send(Self.get("/") + Self.get("/metrics") + Self.get("/missing"))
            #expect(try connection.readReply().status == 200)
            #expect(try connection.readReply().header("Content-Type") == ScrapeResponse.metricsContentType)
            #expect(try connection.readReply().status == 404)
        }
    }

    @Test("a client that pipelines many requests before reading gets every answer, in order")
    func slowReader() async throws {
        try await Self.withServer { server, _ in
            let connection = try RawHTTPConnection(port: server.port, receiveBuffer: 4096)
            let count = 300
            for index in 0..<count {
                try connection.send(Self.get(index % 2 == 0 ? "/metrics" : "/missing"))
            }
            var statuses: [Int] = []
            for _ in 0..<count { statuses.append(try connection.readReply().status) }
            #expect(statuses == (0..<count).map { $0 % 2 == 0 ? 200 : 404 })
        }
    }

    @Test("HTTP/1.0 and Connection: close get one answer, then the server closes")
    func connectionClose() async throws {
        try await Self.withServer { server, _ in
            for request in ["GET /metrics HTTP/1.0\r\n\r\n", Self.get("/metrics", headers: "Connection: close\r\n")] {
                let connection = try RawHTTPConnection(port: server.port)
                try connection.send(request)
                let reply = try connection.readReply()
                #expect(reply.status == 200)
                #expect(reply.header("Connection") == "close")
                #expect(connection.waitForClose())
            }
        }
    }

    @Test(
        "malformed requests get 400 and the connection is closed",
        arguments: [
            "GARBAGE\r\n\r\n", "\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}\u{00}\u{01}\u{fc}\u{03}\u{03}\r\n",
            "GET /metrics\r\n\r\n", "GET /metrics HTTP/1.1 extra\r\nHost: x\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nHost x\r\n\r\n", "GET /metrics HTTP/1.1\r\n\r\n",
            "GET /metrics HTTP/9.9\r\nHost: x\r\n\r\n", "GET * HTTP/1.1\r\nHost: x\r\n\r\n",
        ])
    func malformed(request: String) async throws {
        try await Self.withServer { server, _ in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send(request)
            let reply = try connection.readReply()
            #expect(reply.status == 400)
            #expect(reply.header("Connection") == "close")
            #expect(connection.waitForClose())
        }
    }

    @Test("a TLS handshake or other binary bytes get 400 at once, without waiting for a line end")
    func binaryGarbage() async throws {
        try await Self.withServer(.init(idleTimeout: .seconds(30))) { server, _ in
            let connection = try RawHTTPConnection(port: server.port, timeoutSeconds: 10)
            try connection.send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03])
            #expect(try connection.readReply().status == 400)
            #expect(connection.waitForClose())
        }
    }

    @Test("HEAD of a refused or missing page has headers only")
    func headWithoutBody() async throws {
        try await Self.withServer { server, _ in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send("HEAD /nothing HTTP/1.1\r\nHost: x\r\n\r\n")
            let missing = try connection.readReply(head: true)
            #expect(missing.status == 404)
            try connection.send(Self.get("/"))
            #expect(try connection.readReply().status == 200)
        }
    }

    @Test("a request head over NIO's limits (80 KiB) is answered 431, a long but allowed head is served")
    func headTooLarge() async throws {
        try await Self.withServer { server, _ in
            let filler = String(repeating: "a", count: 6000)
            let ok = try RawHTTPConnection(port: server.port)
            try ok.send(Self.get("/metrics", headers: "X-Filler: \(filler)\r\n"))
            #expect(try ok.readReply().status == 200)

            let half = String(repeating: "a", count: 45_000)
            let big = try RawHTTPConnection(port: server.port)
            try big.send(Self.get("/metrics", headers: "X-Filler: \(half)\r\nX-More: \(half)\r\n"))
            let reply = try big.readReply()
            #expect(reply.status == 431)
            #expect(reply.header("Connection") == "close")
            #expect(big.waitForClose())

            let endless = try RawHTTPConnection(port: server.port)
            try endless.send("GET /metrics HTTP/1.1\r\nHost: x\r\n")
            for _ in 0..<100 { try endless.send("X-Header: \(String(repeating: "b", count: 1000))\r\n") }
            #expect(try endless.readReply().status == 431)
            #expect(endless.waitForClose())
        }
    }

    @Test("a client that connects and sends nothing, or half a head, is closed after the request timeout")
    func requestTimeout() async throws {
        let configuration = MetricsServerConfiguration(idleTimeout: .seconds(30), requestTimeout: .milliseconds(300))
        try await Self.withServer(configuration) { server, _ in
            let silent = try RawHTTPConnection(port: server.port)
            let partial = try RawHTTPConnection(port: server.port)
            try partial.send("GET /metrics HTTP/1.1\r\nHost:")
            #expect(silent.waitForClose())
            #expect(partial.waitForClose())
        }
    }

    @Test("a kept-alive connection is closed after the idle timeout; a next head begun gets the request timeout")
    func idleTimeout() async throws {
        let configuration = MetricsServerConfiguration(idleTimeout: .milliseconds(300), requestTimeout: .seconds(30))
        try await Self.withServer(configuration) { server, _ in
            let served = try RawHTTPConnection(port: server.port)
            try served.send(Self.get("/metrics"))
            #expect(try served.readReply().status == 200)
            #expect(served.waitForClose())
        }
        let dribbling = MetricsServerConfiguration(idleTimeout: .seconds(30), requestTimeout: .milliseconds(300))
        try await Self.withServer(dribbling) { server, _ in
            let served = try RawHTTPConnection(port: server.port)
            try served.send(Self.get("/metrics"))
            #expect(try served.readReply().status == 200)
            try served.send("GET /metrics HTTP/1.1\r\n")
            #expect(served.waitForClose())
        }
    }

    @Test("connections past the limit are answered 503 at once and closed; freed slots are served again")
    func concurrencyLimit() async throws {
        let configuration = MetricsServerConfiguration(
            idleTimeout: .seconds(60), requestTimeout: .seconds(60), maxConnections: 2)
        try await Self.withServer(configuration) { server, _ in
            var held: [RawHTTPConnection] = []
            for _ in 0..<2 {
                let connection = try RawHTTPConnection(port: server.port)
                try connection.send(Self.get("/metrics"))
                #expect(try connection.readReply().status == 200)
                held.append(connection)
            }
            do {
                let third = try RawHTTPConnection(port: server.port)
                let refused = try third.readReply()
                #expect(refused.status == 503)
                #expect(refused.header("Retry-After") == "1")
                #expect(third.waitForClose())
            }

            try held[0].send(Self.get("/metrics", headers: "Connection: close\r\n"))
            _ = try held[0].readReply()
            #expect(held[0].waitForClose())
            held.removeFirst()
            #expect(await server.waitUntil(openConnectionsAtMost: 1, timeout: .seconds(5)))
            let fourth = try RawHTTPConnection(port: server.port)
            try fourth.send(Self.get("/metrics"))
            #expect(try fourth.readReply().status == 200)
        }
    }

    @Test("one source address gets at most its share of connections; the next from it is refused, others are served")
    func perAddressLimit() async throws {
        // Timeouts longer than the test, so the held connections stay open however slow the machine is.
        let configuration = MetricsServerConfiguration(
            idleTimeout: .seconds(60), requestTimeout: .seconds(60), maxConnections: 10, maxConnectionsPerAddress: 3)
        try await Self.withServer(configuration) { server, _ in
            let held = try (0..<3).map { _ in try RawHTTPConnection(port: server.port, from: "127.0.0.2") }
            let fourth = try RawHTTPConnection(port: server.port, from: "127.0.0.2")
            #expect(try fourth.readReply().status == 503)
            #expect(fourth.waitForClose())
            let other = try RawHTTPConnection(port: server.port, from: "127.0.0.1")
            try other.send(Self.get("/metrics"))
            #expect(try other.readReply().status == 200)
            #expect(held.count == 3)
        }
    }

    @Test("1000 connections (served, refused, abandoned) in a bounded loop, then the server still answers")
    func manyConnections() async throws {
        // One client address here: it may use every slot.
        try await Self.withServer(.init(idleTimeout: .seconds(5), maxConnectionsPerAddress: 64)) { server, _ in
            var served = 0
            for index in 0..<1000 {
                let connection = try RawHTTPConnection(port: server.port)
                switch index % 4 {
                case 0:
                    try connection.send(Self.get("/metrics", headers: "Connection: close\r\n"))
                    if try connection.readReply().status == 200 { served += 1 }
                case 1:
                    try connection.send("HEAD /metrics HTTP/1.0\r\n\r\n")
                    if try connection.readReply(head: true).status == 200 { served += 1 }
                case 2:
                    try connection.send("nonsense\r\n\r\n")
                    if try connection.readReply().status == 400 { served += 1 }
                default:
                    try connection.send("GET /met")
                    served += 1
                }
            }
            #expect(served == 1000)
            let last = try RawHTTPConnection(port: server.port)
            try last.send(Self.get("/metrics"))
            let reply = try last.readReply()
            #expect(reply.status == 200)
            #expect(try ParsedExposition(reply.body).value("p2p_chunks_held") == 4)
            #expect(server.openConnections < 1000)
        }
    }

    @Test("a port in use gives an error that names the address and says what to do")
    func portInUse() async throws {
        try await Self.withServer { server, _ in
            let error = await #expect(throws: MetricsServerError.self) {
                _ = try await MetricsServer.start(
                    configuration: .init(port: server.port), eventLoop: MultiThreadedEventLoopGroup.singleton.next(),
                    render: { [] })
            }
            #expect(error == .addressInUse(host: "127.0.0.1", port: server.port))
            #expect(error?.description.contains("127.0.0.1:\(server.port)") == true)
            #expect(error?.description.contains("already in use") == true)
        }
    }

    @Test("the metrics loop differs from the datagram loop when the group has several")
    func separateLoop() {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        defer { try? group.syncShutdownGracefully() }
        let udpLoop = group.next()
        #expect(MetricsServer.eventLoop(in: group, avoiding: udpLoop) !== udpLoop)
        let single = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? single.syncShutdownGracefully() }
        let only = single.next()
        #expect(MetricsServer.eventLoop(in: single, avoiding: only) === only)
    }
}
