import NIOCore
import Synchronization

/// The endpoint's open connections: admits them against the total and per-address limits, closes them when the
/// server stops, and lets callers wait until few enough are open.
final class ConnectionRegistry: Sendable {
    /// Whether a new connection may be served, and if not, why.
    enum Admission: Hashable, Sendable {
        case admitted
        case tooManyConnections
        case tooManyFromAddress
    }

    private struct Waiter {
        var atMost: Int
        var promise: EventLoopPromise<Bool>
    }

    private struct State {
        var open: [ObjectIdentifier: (channel: any Channel, address: String)] = [:]
        var perAddress: [String: Int] = [:]
        var waiters: [Int: Waiter] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())
    let limit: Int
    let perAddressLimit: Int

    init(limit: Int, perAddressLimit: Int) {
        self.limit = limit
        self.perAddressLimit = perAddressLimit
    }

    /// Records `channel` if both limits allow it; a refused channel is not recorded.
    func admit(_ channel: any Channel) -> Admission {
        let address = channel.remoteAddress?.ipAddress ?? ""
        return state.withLock { state in
            if state.open.count >= limit { return .tooManyConnections }
            let fromAddress = state.perAddress[address, default: 0]
            if fromAddress >= perAddressLimit { return .tooManyFromAddress }
            state.open[ObjectIdentifier(channel)] = (channel, address)
            state.perAddress[address] = fromAddress + 1
            return .admitted
        }
    }

    /// Forgets a closed channel and wakes the waiters its departure satisfies.
    func remove(_ channel: any Channel) {
        let satisfied: [EventLoopPromise<Bool>] = state.withLock { state in
            guard let entry = state.open.removeValue(forKey: ObjectIdentifier(channel)) else { return [] }
            let left = state.perAddress[entry.address, default: 1] - 1
            state.perAddress[entry.address] = left > 0 ? left : nil
            let count = state.open.count
            let done = state.waiters.filter { $0.value.atMost >= count }
            for key in done.keys { state.waiters.removeValue(forKey: key) }
            return done.values.map(\.promise)
        }
        for promise in satisfied { promise.succeed(true) }
    }

    var count: Int { state.withLock { $0.open.count } }

    /// Succeeds with true once at most `atMost` connections are open, or with false after `timeout`.
    func waitUntil(atMost: Int, timeout: TimeAmount, on eventLoop: any EventLoop) -> EventLoopFuture<Bool> {
        let promise = eventLoop.makePromise(of: Bool.self)
        let key: Int? = state.withLock { state in
            guard state.open.count > atMost else { return nil }
            let key = state.nextWaiter
            state.nextWaiter += 1
            state.waiters[key] = Waiter(atMost: atMost, promise: promise)
            return key
        }
        guard let key else {
            promise.succeed(true)
            return promise.futureResult
        }
        let expiry = eventLoop.scheduleTask(in: timeout) { [self] in
            let expired = state.withLock { $0.waiters.removeValue(forKey: key) }
            expired?.promise.succeed(false)
        }
        promise.futureResult.whenComplete { _ in expiry.cancel() }
        return promise.futureResult
    }

    /// Closes every open connection.
    func closeAll() {
        let channels = state.withLock { $0.open.values.map(\.channel) }
        for channel in channels { channel.close(promise: nil) }
    }
}
