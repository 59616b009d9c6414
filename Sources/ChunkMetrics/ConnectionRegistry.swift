import NIOCore
import Synchronization

/// The endpoint's open connections: counts them against the limit and closes them when the server stops.
final class ConnectionRegistry: Sendable {
    private let open = Mutex<[ObjectIdentifier: any Channel]>([:])
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Records a new connection; returns whether it is within the limit (it is counted either way).
    func add(_ channel: any Channel) -> Bool {
        open.withLock { channels in
            channels[ObjectIdentifier(channel)] = channel
            return channels.count <= limit
        }
    }

    func remove(_ channel: any Channel) {
        _ = open.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    var count: Int { open.withLock { $0.count } }

    /// Closes every open connection.
    func closeAll() {
        let channels = open.withLock { Array($0.values) }
        for channel in channels { channel.close(promise: nil) }
    }
}
