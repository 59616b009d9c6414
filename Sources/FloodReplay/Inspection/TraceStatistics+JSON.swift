import Foundation

extension TraceStatistics {
    /// The statistics as one JSON object (`p2ptrace stats --format json`), through `JSONEncoder`, keys sorted:
    /// `{"events", "sessions", "nodes": [{"node", "role", "runs", "events", "sent": {type: n}, "received",
    /// "drops", "first_event", "last_event"}], "messages": [{"message", "sent", "received", "matched"}],
    /// "kinds": {ev: n}}`.
    package var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        do {
            return String(decoding: try encoder.encode(Document(self)), as: UTF8.self) + "\n"
        } catch {
            // Only non-finite floating-point numbers fail to encode, and the statistics hold integers and text.
            preconditionFailure("stats JSON: \(error)")
        }
    }

    private struct Document: Encodable {
        var events: Int
        var sessions: Int
        var nodes: [Node]
        var messages: [Message]
        var kinds: [String: Int]

        init(_ statistics: TraceStatistics) {
            events = statistics.events
            sessions = statistics.sessions
            nodes = statistics.nodes.map(Node.init)
            messages = statistics.messages.map {
                Message(message: $0.message, sent: $0.sent, received: $0.received, matched: $0.matched)
            }
            kinds = statistics.kinds
        }
    }

    private struct Node: Encodable {
        var node: String
        var role: String
        var runs: Int
        var events: Int
        var sent: [String: Int]
        var received: [String: Int]
        var drops: Int
        var firstEvent: String
        var lastEvent: String

        init(_ counts: NodeCounts) {
            node = counts.node
            role = counts.role
            runs = counts.runs
            events = counts.events
            sent = counts.sent
            received = counts.received
            drops = counts.drops
            firstEvent = ReplayFormat.timestamp(counts.first)
            lastEvent = ReplayFormat.timestamp(counts.last)
        }
    }

    private struct Message: Encodable {
        var message: String
        var sent: Int
        var received: Int
        var matched: Int
    }
}
