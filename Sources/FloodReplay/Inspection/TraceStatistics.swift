import ChunkTrace
import Plurals

/// Event counts of a trace set, per node and per message type (`p2ptrace stats`).
package struct TraceStatistics: Sendable, Hashable {
    /// Counts of one node (all its runs).
    package struct NodeCounts: Sendable, Hashable {
        package var node: String
        package var role: String
        package var runs: Int
        package var events: Int
        package var sent: [String: Int]
        package var received: [String: Int]
        package var drops: Int
        package var first: Int64
        package var last: Int64
    }

    /// Counts of one message type over all nodes.
    package struct MessageCounts: Sendable, Hashable {
        package var message: String
        package var sent: Int
        package var received: Int
        /// Sends whose receive was found in the receiver's trace.
        package var matched: Int
    }

    package var nodes: [NodeCounts]
    package var messages: [MessageCounts]
    /// Events per `ev` kind.
    package var kinds: [String: Int]
    package var events: Int
    package var sessions: Int

    /// Counts `index` (finishing it first if needed).
    package init(_ index: TraceIndex) {
        var index = index
        index.finish()
        var byNode: [Int32: NodeCounts] = [:]
        var sent = [Int](repeating: 0, count: 6)
        var received = [Int](repeating: 0, count: 6)
        var matched = [Int](repeating: 0, count: 6)
        var kinds: [String: Int] = [:]
        for stream in index.streams {
            var counts =
                byNode[stream.node]
                ?? NodeCounts(
                    node: index.names[Int(stream.node)], role: stream.role.rawValue, runs: 0, events: 0, sent: [:],
                    received: [:], drops: 0, first: .max, last: .min)
            counts.runs += 1
            counts.events += stream.events.count
            counts.first = min(counts.first, stream.firstTimestamp)
            counts.last = max(counts.last, stream.lastTimestamp)
            var kindCounts = [Int](repeating: 0, count: TraceEventKind.allCases.count)
            for e in stream.events {
                let event = index.events[Int(e)]
                kindCounts[TraceEventKind.allCases.firstIndex(of: event.kind) ?? 0] += 1
                guard let message = event.message else { continue }
                let code = Int(message.code)
                if event.kind == .send {
                    counts.sent[message.rawValue, default: 0] += 1
                    sent[code] += 1
                    if index.match[Int(e)] >= 0 { matched[code] += 1 }
                } else if event.kind == .recv {
                    counts.received[message.rawValue, default: 0] += 1
                    received[code] += 1
                }
            }
            for (i, kind) in TraceEventKind.allCases.enumerated() where kindCounts[i] > 0 {
                kinds[kind.rawValue, default: 0] += kindCounts[i]
            }
            counts.drops += kindCounts[TraceEventKind.allCases.firstIndex(of: .drop) ?? 0]
            byNode[stream.node] = counts
        }
        nodes = byNode.values.sorted {
            $0.role != $1.role ? $0.role == "peer" : ReplayFormat.addressLess($0.node, $1.node)
        }
        messages = TraceMessageType.allCases.map {
            let code = Int($0.code)
            return MessageCounts(
                message: $0.rawValue, sent: sent[code], received: received[code], matched: matched[code])
        }
        self.kinds = kinds
        events = index.events.count
        sessions = index.sessions.count
    }

    /// Two tables: per node, then per message type.
    package var text: String {
        let types = TraceMessageType.allCases.map(\.rawValue)
        var rows = [["node", "role", "runs", "events"] + types.map { "\($0) out/in" } + ["drops"]]
        for node in nodes {
            rows.append(
                [node.node, node.role, "\(node.runs)", "\(node.events)"]
                    + types.map { "\(node.sent[$0] ?? 0)/\(node.received[$0] ?? 0)" } + ["\(node.drops)"])
        }
        var out = "\(counted(events, "event")), \(counted(nodes.count, "node")), \(counted(sessions, "session"))\n\n"
        out += Self.table(rows)
        out += "\n"
        var messageRows = [["message", "sent", "received", "sent and received"]]
        for m in messages { messageRows.append([m.message, "\(m.sent)", "\(m.received)", "\(m.matched)"]) }
        out += Self.table(messageRows)
        out += "\nevents by kind: "
        out += kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        return out
    }

    static func table(_ rows: [[String]]) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 2)
            }.joined()
        }.joined(separator: "\n") + "\n"
    }
}
