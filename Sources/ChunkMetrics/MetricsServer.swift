import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The `/metrics` HTTP/1.1 endpoint: a TCP listener on one event loop, no web framework.
///
/// `GET`/`HEAD /metrics` answer the rendered text (gzip when asked), `/` a small HTML page, other paths 404, other
/// methods 405, malformed heads 400, heads over NIO's limits 431. Connections past the total or per-address limit
/// are answered 503 and closed at once; a request slower than the request timeout loses its connection.
/// Requests are parsed by NIOHTTP1 (see `configureMetricsEndpoint(configuration:render:)`).
package final class MetricsServer: Sendable {
    /// The address actually bound (the port is the real one when 0 was asked).
    package let host: String
    package let port: Int
    /// The loop that accepts connections and renders.
    package let eventLoop: any EventLoop
    private let channel: any Channel
    private let connections: ConnectionRegistry

    private init(
        host: String, port: Int, eventLoop: any EventLoop, channel: any Channel, connections: ConnectionRegistry
    ) {
        self.host = host
        self.port = port
        self.eventLoop = eventLoop
        self.channel = channel
        self.connections = connections
    }

    /// Binds the listener and starts serving.
    ///
    /// - Parameters:
    ///   - configuration: address, limits and timeouts.
    ///   - eventLoop: where connections are served and `render` runs; use one that does not carry datagrams.
    ///   - render: produces the metrics text; called on `eventLoop` for every GET or HEAD of `/metrics`.
    /// - Throws: `MetricsServerError` when the address cannot be bound.
    package static func start(
        configuration: MetricsServerConfiguration, eventLoop: any EventLoop,
        render: @escaping @Sendable () -> [UInt8]
    ) async throws -> MetricsServer {
        let connections = ConnectionRegistry(
            limit: configuration.maxConnections, perAddressLimit: configuration.maxConnectionsPerAddress)
        let bootstrap = ServerBootstrap(group: eventLoop)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    switch connections.admit(channel) {
                    case .admitted:
                        channel.closeFuture.whenComplete { _ in connections.remove(channel) }
                        try pipeline.configureMetricsEndpoint(configuration: configuration, render: render)
                    case .tooManyConnections:
                        try pipeline.configureMetricsRefusal(
                            configuration: configuration, message: "too many connections; retry later")
                    case .tooManyFromAddress:
                        try pipeline.configureMetricsRefusal(
                            configuration: configuration,
                            message: "too many connections from your address; close one or retry later")
                    }
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw MetricsServerError.addressInUse(host: configuration.host, port: configuration.port)
        } catch {
            throw MetricsServerError.cannotListen(
                host: configuration.host, port: configuration.port, reason: String(describing: error))
        }
        let port = channel.localAddress?.port ?? configuration.port
        return MetricsServer(
            host: configuration.host, port: port, eventLoop: eventLoop, channel: channel, connections: connections)
    }

    /// Connections open now (those being refused are not counted).
    package var openConnections: Int { connections.count }

    /// Waits until at most `count` connections are open; false if that has not happened after `timeout`.
    package func waitUntil(openConnectionsAtMost count: Int, timeout: TimeAmount) async -> Bool {
        (try? await connections.waitUntil(atMost: count, timeout: timeout, on: eventLoop).get()) ?? false
    }

    /// Stops listening and closes every open connection.
    package func close() async {
        try? await channel.close()
        connections.closeAll()
    }

    /// A loop of `group` other than `avoided` (the last one that differs), so scrapes do not share a thread with
    /// datagrams; `avoided` itself when the group has only one loop.
    package static func eventLoop(in group: any EventLoopGroup, avoiding avoided: (any EventLoop)?) -> any EventLoop {
        var chosen: (any EventLoop)?
        for loop in group.makeIterator() where avoided.map({ $0 !== loop }) ?? true {
            chosen = loop
        }
        return chosen ?? avoided ?? group.next()
    }
}
