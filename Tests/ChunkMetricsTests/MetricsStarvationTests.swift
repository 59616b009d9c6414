import NIOCore
import NIOPosix
import Testing

@testable import ChunkMetrics

@Suite("/metrics stays reachable while another address hoards connections (real TCP, two loopback addresses)")
struct MetricsStarvationTests {
    @Test("while 127.0.0.2 holds hundreds of idle and dribbling connections, a scrape from 127.0.0.1 is answered")
    func scrapeWhileHoarded() async throws {
        let configuration = MetricsServerConfiguration()
        try await MetricsServerTests.withServer(configuration) { server, _ in
            var hoard: [RawHTTPConnection] = []
            let head = Array("GET /metrics HTTP/1.1\r\nHost: x\r\n".utf8)
            for index in 0..<300 {
                let connection = try RawHTTPConnection(port: server.port, from: "127.0.0.2")
                if index % 2 == 1 { try? connection.send([head[0]]) }
                hoard.append(connection)
            }
            // Dribble: one more byte on every other connection, a few rounds.
            for round in 1..<4 {
                for connection in hoard.enumerated() where connection.offset % 2 == 1 {
                    try? connection.element.send([head[round]])
                }
            }
            #expect(server.openConnections <= configuration.maxConnectionsPerAddress)

            let start = ContinuousClock.now
            let scraper = try RawHTTPConnection(port: server.port, from: "127.0.0.1", timeoutSeconds: 5)
            try scraper.send(MetricsServerTests.get("/metrics"))
            let reply = try scraper.readReply()
            let elapsed = ContinuousClock.now - start
            print("scrape from 127.0.0.1 while 127.0.0.2 hoards 300 connections: \(elapsed)")
            #expect(reply.status == 200)
            #expect(try ParsedExposition(reply.body).families.count > 20)
            #expect(elapsed < .seconds(5))

            // Each hoarded connection was either refused with 503 at once or, admitted, never finished its head and
            // was closed by the request timeout (2 s) without an answer.
            var refused = 0
            var closedUnanswered = 0
            for connection in hoard {
                if let reply = try? connection.readReply() {
                    #expect(reply.status == 503)
                    refused += 1
                } else if connection.waitForClose() {
                    closedUnanswered += 1
                }
            }
            #expect(refused + closedUnanswered == hoard.count)
            #expect(refused >= hoard.count / 2)
        }
    }
}
