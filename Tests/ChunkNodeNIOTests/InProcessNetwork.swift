import ChunkNode
import ChunkNodeNIO
import Foundation
import NIOCore
import NIOPosix
import Synchronization
import TestSupport

/// Peers and clients of one test, in this process, on loopback addresses no other test uses.
final class InProcessNetwork: @unchecked Sendable {
    private static let nextSubnet = Atomic<UInt32>(0)

    let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
    /// `127.<pid>.<n>.0`: peers get `.1`, `.2`, … with port 6000 + index.
    private let base: UInt32
    private let output: TemporaryFolder
    private(set) var servers: [PeerServer] = []

    init() throws {
        let index = Self.nextSubnet.add(1, ordering: .relaxed).newValue
        let pid = UInt32(ProcessInfo.processInfo.processIdentifier % 100)
        base = (127 << 24) | ((20 + pid) << 16) | ((index % 250 + 1) << 8)
        output = try TemporaryFolder(prefix: "nio")
    }

    /// Where the clients write their chunk files and logs.
    var outputFolder: URL { output.url }

    func address(_ n: Int) -> NodeAddress { NodeAddress(ip: base + UInt32(n), port: UInt16(6000 + n)) }

    /// The payload peers serve for `chunk`: 1024 bytes that say which chunk they are.
    static func payload(_ chunk: ChunkID) -> ByteBuffer {
        ByteBuffer(bytes: (0..<1024).map { UInt8(truncatingIfNeeded: Int(chunk) &* 31 &+ $0) })
    }

    /// Starts peer `n` holding `chunks` (with `payloads`, by default `payload(_:)`), flooding to `neighbours`.
    @discardableResult
    func startPeer(
        _ n: Int, holds chunks: [ChunkID], neighbours: [Int], observers: [any NodeObserver] = [],
        payloads: (ChunkID) -> ByteBuffer = payload, responseRateLimit: Int = ResponseBudget.defaultRate
    ) async throws -> PeerServer {
        let store = ChunkStore(payloads: Dictionary(uniqueKeysWithValues: chunks.map { ($0, payloads($0)) }))
        let node = PeerNode(address: address(n), neighbors: neighbours.map(address), store: store)
        let server = try await PeerServer.start(
            node: node, observers: observers, software: "test", responseRateLimit: responseRateLimit)
        servers.append(server)
        return server
    }

    /// Runs a client against peer `contact` to the end.
    func runClient(contact: Int, chunks: [ChunkID], timeout: TimeAmount = .milliseconds(600), retries: Int = 3)
        async throws -> ClientOutcome
    {
        let configuration = ClientConfiguration(
            contact: address(contact), chunks: chunks, inactivityTimeout: timeout, retryInterval: .milliseconds(100),
            maxRetries: retries)
        let session = try await ClientSession.start(
            configuration: configuration, outputDirectory: outputFolder.path, group: group,
            makeObservers: { _ in [] }, software: "test")
        return try await session.finish()
    }

    func shutdown() async {
        for server in servers { await server.stop() }
        try? await group.shutdownGracefully()
        output.remove()
    }
}

/// Counts what a node records, by kind, and lets a test wait until the counts say something happened.
final class CountingObserver: NodeObserver, @unchecked Sendable {
    private struct Waiter {
        var id: Int
        var condition: @Sendable ([String: Int]) -> Bool
        var continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var counts: [String: Int] = [:]
        var waiters: [Waiter] = []
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    func observe(_ event: NodeEvent, seq: UInt64, timestamp: Int64) {
        let key: String =
            switch event {
            case .received(let message, _, _): "recv \(message.type.name)"
            case .sent(let message, _, _, _): "send \(message.type.name)"
            case .sendFailed(let message, _, _, _, _): "send_failed \(message.type.name)"
            case .dropped(let reason, _, _, _): "drop \(reason.label)"
            case .rateLimited(let message, _, _): "rate_limited \(message.type.name)"
            default: "other"
            }
        count(key)
    }

    private func count(_ key: String) {
        let met = state.withLock { state -> [Waiter] in
            state.counts[key, default: 0] += 1
            let counts = state.counts
            let met = state.waiters.filter { $0.condition(counts) }
            state.waiters.removeAll { $0.condition(counts) }
            return met
        }
        for waiter in met { waiter.continuation.resume(returning: true) }
    }

    func observe(_ fact: NodeFact) {
        if case .rateLimited(let type) = fact { count("limited \(type.name)") }
    }

    subscript(key: String) -> Int { state.withLock { $0.counts[key] ?? 0 } }

    /// Waits until `condition` holds for the counts; `false` when it still does not after `timeout`.
    func wait(
        timeout: TimeAmount = .seconds(5), on eventLoop: any EventLoop,
        until condition: @escaping @Sendable ([String: Int]) -> Bool
    ) async -> Bool {
        await withCheckedContinuation { continuation in
            let id = state.withLock { state -> Int? in
                guard !condition(state.counts) else { return nil }
                state.nextWaiter += 1
                state.waiters.append(Waiter(id: state.nextWaiter, condition: condition, continuation: continuation))
                return state.nextWaiter
            }
            guard let id else { return continuation.resume(returning: true) }
            eventLoop.scheduleTask(in: timeout) {
                let expired = self.state.withLock { state -> Waiter? in
                    guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return state.waiters.remove(at: index)
                }
                expired?.continuation.resume(returning: false)
            }
        }
    }
}
