import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import ChunkMetrics

@Suite("The endpoint's pipeline on an embedded channel (NIOHTTP1 parsing, deadlines, refusal)")
struct MetricsEndpointPipelineTests {
    static let configuration = MetricsServerConfiguration(
        idleTimeout: .seconds(10), requestTimeout: .seconds(2), lingerTimeout: .seconds(2))

    static func makeChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.configureMetricsEndpoint(
            configuration: configuration, render: { Array("m_total 1\n".utf8) })
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    /// Everything written so far, as text.
    static func output(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text
    }

    static func statusLines(_ channel: EmbeddedChannel) throws -> [String] {
        try output(channel).split(whereSeparator: \.isNewline).filter { $0.hasPrefix("HTTP/1.1 ") }.map(String.init)
    }

    static let get = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"

    @Test("while the client does not read its answers, pipelined requests wait; they are answered once it does")
    func backpressure() throws {
        let channel = try Self.makeChannel()
        channel.isWritable = false
        try channel.writeInbound(ByteBuffer(string: Self.get + Self.get + Self.get))
        #expect(try Self.statusLines(channel).isEmpty)
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(try Self.statusLines(channel) == Array(repeating: "HTTP/1.1 200 OK", count: 3))
        _ = try? channel.finish()
    }

    @Test("a head split across many reads is answered once, when it is complete")
    func splitHead() throws {
        let channel = try Self.makeChannel()
        for byte in Self.get.utf8 {
            #expect(try Self.statusLines(channel).isEmpty)
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
        }
        #expect(try Self.statusLines(channel) == ["HTTP/1.1 200 OK"])
        _ = try? channel.finish()
    }

    @Test("HEAD gets the GET headers with the body's length and no body")
    func head() throws {
        let channel = try Self.makeChannel()
        try channel.writeInbound(ByteBuffer(string: "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n"))
        let text = try Self.output(channel)
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(text.lowercased().contains("content-length: 10\r\n"))
        #expect(text.hasSuffix("\r\n\r\n"))
        _ = try? channel.finish()
    }

    @Test("a request not complete 2 s after the connection opened closes it, however it dribbles")
    func requestDeadline() throws {
        let channel = try Self.makeChannel()
        for (index, byte) in "GET /metrics HTTP/1.1\r\n".utf8.prefix(19).enumerated() {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
            if index % 2 == 0 { channel.embeddedEventLoop.advanceTime(by: .milliseconds(100)) }
        }
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test("after an answer the connection may idle 10 s; a head begun then must be complete within 2 s")
    func idleThenRequestDeadline() throws {
        let channel = try Self.makeChannel()
        try channel.writeInbound(ByteBuffer(string: Self.get))
        #expect(try Self.statusLines(channel) == ["HTTP/1.1 200 OK"])
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        #expect(channel.isActive)
        try channel.writeInbound(ByteBuffer(string: "GET /met"))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1900))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(200))
        #expect(!channel.isActive)
    }

    @Test("a silent kept-alive connection is closed after the idle timeout")
    func idle() throws {
        let channel = try Self.makeChannel()
        try channel.writeInbound(ByteBuffer(string: Self.get))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(9900))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(200))
        #expect(!channel.isActive)
    }

    @Test("a head over NIO's limits is answered 431 with Connection: close, not NIO's 400")
    func headTooLarge() throws {
        let channel = try Self.makeChannel()
        let filler = String(repeating: "a", count: 90_000)
        let request = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: \(filler)\r\n\r\n"
        _ = try? channel.writeInbound(ByteBuffer(string: request))
        let text = try Self.output(channel)
        #expect(text.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
        #expect(text.lowercased().contains("connection: close\r\n"))
        #expect(!text.contains("400"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
    }

    @Test(
        "malformed requests get 400 and the connection closes after its linger",
        arguments: [
            "GARBAGE\r\n\r\n", "GET /metrics HTTP/1.1\r\nHost x\r\n\r\n", "GET /metrics HTTP/1.1\r\n\r\n",
            "GET /metrics HTTP/9.9\r\nHost: x\r\n\r\n", "\u{16}\u{03}\u{01}",
        ])
    func malformed(request: String) throws {
        let channel = try Self.makeChannel()
        _ = try? channel.writeInbound(ByteBuffer(string: request))
        #expect(try Self.statusLines(channel) == ["HTTP/1.1 400 Bad Request"])
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
    }

    @Test("a refused connection is answered 503 with Retry-After as soon as it opens, before any request")
    func refusal() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.configureMetricsRefusal(
            configuration: Self.configuration, message: "too many connections; retry later")
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        let text = try Self.output(channel)
        #expect(text.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
        #expect(text.contains("Retry-After: 1\r\n"))
        #expect(text.hasSuffix("too many connections; retry later\n"))
        try channel.writeInbound(ByteBuffer(string: Self.get))
        #expect(try Self.output(channel).isEmpty)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
    }
}
