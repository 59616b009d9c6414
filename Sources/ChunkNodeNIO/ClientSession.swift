import ChunkNode
import DiagnosticLog
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// What a finished client run produced.
package struct ClientOutcome: Sendable {
    /// The client's own address: its IP toward the contact peer and the port it used.
    package var localAddress: NodeAddress
    package var ending: ClientEnding
    /// The lines written to the output log.
    package var logLines: [String]
    /// Where the output log was written.
    package var logPath: String
    package var received: [ChunkID]
    package var missing: [ChunkID]
    /// Chunk files that could not be written.
    package var writeErrors: [String]
}

/// One client run over a real UDP socket: HELLO, GETs, saved chunks, the output log.
///
/// As a `Service` in a `ServiceGroup`, `run()` lasts until the run ends (every chunk saved, or the timeout) or
/// graceful shutdown (SIGTERM or SIGINT) interrupts it; `finish()` then gives the outcome.
package final class ClientSession: Service, Sendable {
    package let localAddress: NodeAddress
    private let channel: any Channel
    private let finished: EventLoopFuture<ClientEnding>
    private let handler: NIOLoopBound<ClientDatagramHandler<SocketDatagramSender>>
    private let recorder: NodeEventRecorder
    private let outputDirectory: String

    private init(
        localAddress: NodeAddress, channel: any Channel, finished: EventLoopFuture<ClientEnding>,
        handler: NIOLoopBound<ClientDatagramHandler<SocketDatagramSender>>, recorder: NodeEventRecorder,
        outputDirectory: String
    ) {
        self.localAddress = localAddress
        self.channel = channel
        self.finished = finished
        self.handler = handler
        self.recorder = recorder
        self.outputDirectory = outputDirectory
    }

    /// The IPv4 address this host uses to reach `contact` (the kernel's route choice).
    ///
    /// - Throws: `NodeIOError.noRoute` when there is no route.
    package static func localIP(toward contact: NodeAddress) throws -> UInt32 {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw NodeIOError.noRoute(to: contact, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = contact.port.bigEndian
        remote.sin_addr.s_addr = contact.ip.bigEndian
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw NodeIOError.noRoute(to: contact, reason: String(cString: strerror(errno))) }
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw NodeIOError.noRoute(to: contact, reason: String(cString: strerror(errno))) }
        return UInt32(bigEndian: local.sin_addr.s_addr)
    }

    /// Binds a socket on the IP toward the contact peer and says HELLO.
    ///
    /// - Parameters:
    ///   - configuration: the contact peer, the asked chunks, timeouts and retries.
    ///   - outputDirectory: where chunk files and the output log go; created if missing.
    ///   - observers: where every event goes (traces, metrics).
    ///   - makeObservers: called with the bound address, to build observers that need it (a trace writer).
    ///   - logger: where socket errors and chunk files that cannot be written are reported.
    package static func start(
        configuration: ClientConfiguration, outputDirectory: String, group: any EventLoopGroup,
        makeObservers: (NodeAddress) async throws -> [any NodeObserver], software: String,
        logger: Logger = .diagnostics
    ) async throws -> ClientSession {
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let ip = try localIP(toward: configuration.contact)
        let eventLoop = group.next()
        // The socket must exist before the observers know our port, but must not say HELLO before they are ready:
        // bind first, add the handler once the observers exist.
        let (channel, sender) = try await DatagramChannelFactory.bind(
            NodeAddress(ip: ip, port: 0), group: eventLoop,
            receiveBufferBytes: DatagramChannelFactory.clientReceiveBufferBytes
        ) { _ in PassThroughHandler() }
        let local = channel.localAddress.flatMap(NodeAddress.init) ?? NodeAddress(ip: ip, port: 0)
        let observers: [any NodeObserver]
        do {
            observers = try await makeObservers(local)
        } catch {
            try? await channel.close()
            throw error
        }
        let recorder = NodeEventRecorder(observers: observers)
        let finished = eventLoop.makePromise(of: ClientEnding.self)
        let handler = try await eventLoop.submit {
            let handler = ClientDatagramHandler(
                driver: ClientDriver(node: ClientNode(configuration: configuration), recorder: recorder),
                sender: sender, software: software, outputDirectory: outputDirectory, finished: finished,
                logger: logger)
            try channel.pipeline.syncOperations.addHandler(handler)
            return NIOLoopBound(handler, eventLoop: eventLoop)
        }.get()
        return ClientSession(
            localAddress: local, channel: channel, finished: finished.futureResult, handler: handler,
            recorder: recorder, outputDirectory: outputDirectory)
    }

    /// Waits until the run ends by itself or, on graceful shutdown, ends it early as `interrupt()` does.
    package func run() async throws {
        try await withGracefulShutdownHandler {
            _ = try await finished.get()
        } onGracefulShutdown: {
            self.interrupt()
        }
    }

    /// Ends the run early; what has arrived is kept.
    package func interrupt() {
        let handler = self.handler
        channel.eventLoop.execute { handler.value.interrupt() }
    }

    /// Waits for the run to end, writes `output-<ip>.log`, closes the socket and flushes the observers.
    package func finish() async throws -> ClientOutcome {
        let ending = try await finished.get()
        let handler = self.handler
        let (node, writeErrors) = try await channel.eventLoop.submit {
            (handler.value.result, handler.value.writeErrors)
        }
        .get()
        try? await channel.close()
        recorder.finish()
        let lines = node.logLines
        let logPath = outputDirectory + "/" + ClientOutputLog.fileName(clientIP: localAddress.ipString)
        try ChunkFileWriter.write(Array(ClientOutputLog.content(of: lines).utf8), to: logPath)
        return ClientOutcome(
            localAddress: localAddress, ending: ending, logLines: lines, logPath: logPath,
            received: node.arrivals.map(\.chunk), missing: node.missing, writeErrors: writeErrors)
    }
}

/// Holds a freshly bound channel's place until the client handler is added.
private final class PassThroughHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
}
