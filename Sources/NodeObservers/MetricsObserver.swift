import ChunkMetrics
import ChunkNode

/// Turns a node's events and facts into `NodeMetrics` updates.
///
/// Called on the node's datagram thread; every update is an atomic add (the handling-time histogram takes an
/// uncontended lock), with no allocation.
package final class MetricsObserver: NodeObserver {
    package let metrics: NodeMetrics

    package init(metrics: NodeMetrics) {
        self.metrics = metrics
    }

    package func observe(_ event: NodeEvent, seq: UInt64, timestamp: Int64) {
        switch event {
        case .started(let info):
            if metrics.role == .peer {
                metrics.setTopology(neighbors: info.neighbors.count, chunksHeld: info.held.count)
            }
        case .received(let message, _, let bytes):
            metrics.messageReceived(Self.type(message.type), bytes: bytes)
        case .receivedClamped(let message, _, let bytes, _):
            metrics.messageReceived(Self.type(message.type), bytes: bytes)
            metrics.queryTTLClamped()
        case .sent(let message, _, let bytes, _):
            metrics.messageSent(Self.type(message.type), bytes: bytes)
        case .sendFailed(let message, _, _, _, _):
            metrics.sendFailed(Self.type(message.type))
        case .dropped(let reason, _, _, _):
            metrics.datagramDropped(reason: reason.label)
        case .retried(let message, _):
            metrics.clientRetried(Self.type(message.type))
        case .saved:
            metrics.clientChunkReceived()
        case .missing:
            metrics.clientChunkMissing()
        case .timedOut:
            metrics.clientTimedOut()
        case .done, .stopped, .rateLimited, .rateLimitedUntraced:
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
