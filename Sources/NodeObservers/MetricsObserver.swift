import ChunkMetrics
import ChunkNode
import Synchronization

/// Turns a node's events and facts into `NodeMetrics` updates.
///
/// Called on the node's datagram thread; every update is an atomic add (histograms and the little flood state take
/// an uncontended lock). Per-neighbour counters are found by scanning the few configured neighbours, never by
/// building a label. Duplicate QUERYs are told from new floods by `RecentFloods` (counting only: forwarding is not
/// changed); a QUERY's answer time and a client's time to complete come from the events' timestamps.
package final class MetricsObserver: NodeObserver {
    package let metrics: NodeMetrics
    private let neighborIndex: NeighborIndex
    private let state = Mutex(FloodState())

    /// What the observer remembers between events.
    private struct FloodState {
        var recent = RecentFloods()
        /// The QUERYs received, until the CHUNK_INFO each causes.
        var arrivals = QueryArrivals()
        var helloSentAt: Int64?
        var lastSavedAt: Int64?
        var peersFetchedFrom: Set<NodeAddress> = []
    }

    /// - Parameters:
    ///   - metrics: where the counts go.
    ///   - neighbors: a peer's configured neighbours, in the order of `metrics.neighborTraffic.neighbors`.
    package init(metrics: NodeMetrics, neighbors: [NodeAddress] = []) {
        self.metrics = metrics
        neighborIndex = NeighborIndex(neighbors)
    }

    package func observe(_ event: NodeEvent, seq: UInt64, timestamp: Int64) {
        switch event {
        case .started(let info):
            if metrics.role == .peer {
                metrics.setTopology(neighbors: info.neighbors.count, chunksHeld: info.held.count)
            }
        case .received(let message, let sender, let bytes):
            metrics.messageReceived(Self.type(message.type), bytes: bytes)
            received(message, from: sender, seq: seq, at: timestamp)
        case .receivedClamped(let message, let sender, let bytes, _):
            metrics.messageReceived(Self.type(message.type), bytes: bytes)
            metrics.queryTTLClamped()
            received(message, from: sender, seq: seq, at: timestamp)
        case .sent(let message, let destination, let bytes, let cause):
            metrics.messageSent(Self.type(message.type), bytes: bytes)
            sent(message, to: destination, cause: cause, at: timestamp)
        case .sendFailed(let message, _, _, _, _):
            metrics.sendFailed(Self.type(message.type))
        case .dropped(let reason, _, _, _):
            metrics.datagramDropped(reason: reason.label)
        case .retried(let message, _):
            metrics.clientRetried(Self.type(message.type))
        case .saved(_, let sender, _):
            metrics.clientChunkReceived()
            state.withLock {
                $0.lastSavedAt = timestamp
                $0.peersFetchedFrom.insert(sender)
            }
        case .missing:
            metrics.clientChunkMissing()
        case .timedOut:
            metrics.clientTimedOut()
        case .done:
            finished()
        case .stopped, .rateLimited, .rateLimitedUntraced:
            break
        }
    }

    package func observe(_ fact: NodeFact) {
        switch fact {
        case .queryExpired: metrics.queryExpired()
        case .unknownChunksRequested(let count): metrics.unknownChunksRequested(count)
        case .rateLimited(let type): metrics.responseRateLimited(Self.type(type))
        case .handled(let type, let seconds): metrics.messageHandled(Self.type(type), seconds: seconds)
        }
    }

    /// A peer's per-neighbour count, floods started, duplicate QUERYs, and the QUERYs awaiting their CHUNK_INFO.
    private func received(_ message: ChunkMessage, from sender: NodeAddress, seq: UInt64, at timestamp: Int64) {
        guard let traffic = metrics.neighborTraffic, let floods = metrics.floods else { return }
        traffic.received(Self.type(message.type), from: neighborIndex(sender))
        switch message {
        case .hello(let chunks):
            floods.floodStarted()
            state.withLock { _ = $0.recent.see(client: sender, chunks: chunks, at: timestamp) }
        case .query(let client, _, let chunks):
            let duplicate = state.withLock {
                $0.arrivals.arrived(seq: seq, at: timestamp)
                return $0.recent.see(client: client, chunks: chunks, at: timestamp)
            }
            if duplicate { floods.duplicateQuery() }
        case .chunkInfo, .get, .response:
            break
        }
    }

    /// A peer's per-neighbour count and QUERY answer time; a client's first HELLO.
    private func sent(_ message: ChunkMessage, to destination: NodeAddress, cause: UInt64?, at timestamp: Int64) {
        if let traffic = metrics.neighborTraffic {
            traffic.sent(Self.type(message.type), to: neighborIndex(destination))
        }
        switch message {
        case .chunkInfo:
            guard let floods = metrics.floods, let cause else { return }
            let arrival = state.withLock { $0.arrivals.answered(seq: cause) }
            if let arrival { floods.queryAnswered(after: .microseconds(timestamp - arrival)) }
        case .hello where metrics.completion != nil:
            state.withLock { $0.helloSentAt = $0.helloSentAt ?? timestamp }
        default:
            break
        }
    }

    /// A client's time from its first HELLO to its last saved chunk, and the peers it fetched from.
    private func finished() {
        guard let completion = metrics.completion else { return }
        let (duration, peers) = state.withLock { state -> (Duration?, Int) in
            guard let hello = state.helloSentAt, let last = state.lastSavedAt else {
                return (nil, state.peersFetchedFrom.count)
            }
            return (.microseconds(last - hello), state.peersFetchedFrom.count)
        }
        completion.finished(lastChunkAfter: duration, peers: peers)
    }

    static func type(_ type: MessageType) -> MetricsMessageType {
        switch type {
        case .hello: .hello
        case .query: .query
        case .chunkInfo: .chunkInfo
        case .get: .get
        case .response: .response
        }
    }
}
