import NIOCore
import NIOEmbedded
import Testing

@testable import ChunkMetrics

@Suite("The connection handler on an embedded channel")
struct MetricsHTTPHandlerTests {
    static func makeChannel(maxConnections: Int = 4) throws -> EmbeddedChannel {
        let handler = MetricsHTTPHandler(
            configuration: .init(idleTimeout: .seconds(10), maxConnections: maxConnections),
            connections: ConnectionRegistry(limit: maxConnections), render: { Array("m_total 1\n".utf8) })
        let channel = EmbeddedChannel(handler: handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    static func statusLines(_ channel: EmbeddedChannel) throws -> [String] {
        var lines: [String] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
            let text = String(buffer: buffer)
            // "\r\n" is one Character in Swift.
            lines.append(String(text.prefix { $0 != "\r\n" }))
        }
        return lines
    }

    @Test("while the client does not read its answers, pipelined requests wait; they are answered once it does")
    func backpressure() throws {
        let channel = try Self.makeChannel()
        channel.isWritable = false
        let request = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
        try channel.writeInbound(ByteBuffer(string: request + request + request))
        #expect(try Self.statusLines(channel).isEmpty)
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(try Self.statusLines(channel) == Array(repeating: "HTTP/1.1 200 OK", count: 3))
        _ = try? channel.finish()
    }

    @Test("a head split across many reads is answered once, when it is complete")
    func splitHead() throws {
        let channel = try Self.makeChannel()
        for byte in "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".utf8 {
            #expect(try Self.statusLines(channel).isEmpty)
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
        }
        #expect(try Self.statusLines(channel) == ["HTTP/1.1 200 OK"])
        _ = try? channel.finish()
    }
}
