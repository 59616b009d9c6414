import Plurals

/// The Graphviz rendering of floods: one cluster per flood, one graph node per arrival (duplicates dashed,
/// expired grey), lost datagrams in red, CHUNK_INFO answers as dotted green edges to the client (or summed up in
/// the client's note, or left out: `Answers`).
///
/// `dot -Tsvg` renders the output.
package enum FloodDotRenderer {
    /// How CHUNK_INFO answers are drawn (`p2ptrace replay --answers`).
    package enum Answers: String, Sendable, CaseIterable {
        /// One dotted edge per answer, from the answering peer to the client.
        case edges
        /// No edges; the client's note counts the answers and names who sent them.
        case summary
        /// Left out entirely (lost CHUNK_INFO too).
        case none
    }

    package static func render(_ floods: [Flood], answers: Answers = .edges) -> String {
        let out = ReplayOutputStream()
        render(floods, answers: answers, to: out)
        return out.text
    }

    /// Writes the graph of `floods` to `out`, flood by flood.
    package static func render(_ floods: [Flood], answers: Answers = .edges, to stream: ReplayOutputStream) {
        var out = "digraph p2ptrace {\n"
        out += "  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=11, compound=true];\n"
        out += "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#e8f0fe\", "
        out += "fontname=\"Helvetica\", fontsize=10];\n"
        out += "  edge [fontname=\"Helvetica\", fontsize=9];\n"
        for flood in floods {
            render(flood, answers: answers, to: &out)
            stream.write(out)
            out = ""
        }
        stream.write("}\n")
    }

    private static func render(_ flood: Flood, answers: Answers, to out: inout String) {
        let f = "f\(flood.index)"
        out += "  subgraph cluster_\(f) {\n"
        appendClient(flood, cluster: f, answers: answers, to: &out)
        for visit in flood.visits { appendVisit(visit, cluster: f, to: &out) }
        for visit in flood.visits { appendEdges(into: visit, flood: flood, cluster: f, answers: answers, to: &out) }
        appendLost(flood, cluster: f, answers: answers, to: &out)
        out += "  }\n"
    }

    /// The cluster's title and the client's note: where each asked chunk came from.
    private static func appendClient(_ flood: Flood, cluster f: String, answers: Answers, to out: inout String) {
        let title =
            "Flood #\(flood.index): client \(flood.client) asks \(ReplayFormat.chunkList(flood.askedChunks))"
            + "\\nreached \(flood.summary.peersReached)/\(flood.summary.peersTraced) peers, "
            + "\(counted(flood.summary.queryMessages, "query")), \(counted(flood.summary.duplicates, "duplicate")), "
            + "depth \(flood.summary.depth)"
        out += "    label=\(quote(title, keepingLineBreaks: true)); labelloc=t; style=rounded; color=\"#999999\";\n"
        var clientLabel = "client \(flood.client)"
        for chunk in flood.askedChunks {
            if let delivery = flood.deliveries.first(where: { $0.chunk == chunk }) {
                clientLabel += "\\n\(chunk) ← \(delivery.peer) \(ReplayFormat.offset(delivery.offset))"
            } else if flood.notFound.contains(chunk) {
                clientLabel += "\\n\(chunk): nobody had it"
            } else {
                clientLabel += "\\n\(chunk): never arrived"
            }
        }
        if answers == .summary { clientLabel += answerSummary(flood) }
        out += "    \(f)_client [label=\(quote(clientLabel, keepingLineBreaks: true)), shape=note, "
        out += "fillcolor=\"#fff4e0\"];\n"
    }

    /// The graph node of one arrival.
    private static func appendVisit(_ visit: FloodVisit, cluster f: String, to out: inout String) {
        var label = visit.node + "\\nhop \(visit.hop)"
        if visit.untracedContact {
            label += " · HELLO (no trace)"
        } else {
            label += visit.ttl.map { " · ttl \($0)" } ?? " · HELLO"
            label += "\\n" + ReplayFormat.offset(visit.offset)
        }
        if visit.isDuplicate { label += "\\nduplicate" }
        if visit.expired { label += "\\nexpired" }
        var attributes = ["label=\(quote(label, keepingLineBreaks: true))"]
        if visit.parent == nil, visit.hop == 0 { attributes.append("penwidth=2") }
        if visit.isDuplicate { attributes.append("style=\"rounded,filled,dashed\"") }
        if visit.expired { attributes.append("fillcolor=\"#eeeeee\"") }
        if visit.untracedContact { attributes.append("style=\"rounded,dashed\"") }
        out += "    \(f)_v\(visit.id) [\(attributes.joined(separator: ", "))];\n"
    }

    /// The edge that brought `visit` (from its parent, or from an untraced sender) and its CHUNK_INFO edge.
    private static func appendEdges(
        into visit: FloodVisit, flood: Flood, cluster f: String, answers: Answers, to out: inout String
    ) {
        if let parent = visit.parent {
            let label = visit.ttl.map { "ttl \($0)" } ?? ""
            let style = visit.isDuplicate ? ", style=dashed" : ""
            out += "    \(f)_v\(parent) -> \(f)_v\(visit.id) [label=\(quote(label))\(style)];\n"
        } else if visit.hop > 0 {
            let sender = "\(f)_untraced_\(visit.id)"
            out += "    \(sender) [label=\(quote(visit.from + "\\n(no trace)", keepingLineBreaks: true)), "
            out += "style=\"rounded,dashed\", fillcolor=white];\n"
            out += "    \(sender) -> \(f)_v\(visit.id) [label=\(quote(visit.ttl.map { "ttl \($0)" } ?? "")), "
            out += "style=dashed];\n"
        }
        if answers == .edges, !visit.answered.isEmpty {
            let label = quote("CHUNK_INFO " + ReplayFormat.chunkList(visit.answered))
            out += "    \(f)_v\(visit.id) -> \(f)_client [label=\(label), "
            out += "style=dotted, color=\"#2e7d32\", fontcolor=\"#2e7d32\", constraint=false];\n"
        }
    }

    /// Lost datagrams in red, each from the visit (or client, or untraced sender) that sent it.
    private static func appendLost(_ flood: Flood, cluster f: String, answers: Answers, to out: inout String) {
        var firstVisit: [String: Int] = [:]
        for visit in flood.visits where firstVisit[visit.node] == nil { firstVisit[visit.node] = visit.id }
        for (i, lost) in flood.lost.enumerated() where answers == .edges || lost.message != .chunkInfo {
            let target = "\(f)_lost\(i)"
            let label = "✗ \(lost.to)\\n\(lost.reason.description)"
            out += "    \(target) [label=\(quote(label, keepingLineBreaks: true)), shape=box, "
            out += "style=\"rounded,dashed\", color=\"#c62828\", fontcolor=\"#c62828\", fillcolor=white];\n"
            let source: String
            if let visit = lost.visit ?? (lost.from == flood.client ? nil : firstVisit[lost.from]) {
                source = "\(f)_v\(visit)"
            } else if lost.from == flood.client {
                source = "\(f)_client"
            } else {
                source = "\(f)_sender\(i)"
                out += "    \(source) [label=\(quote(lost.from)), style=\"rounded,dashed\", fillcolor=white];\n"
            }
            let edgeLabel = lost.message.rawValue.uppercased() + (lost.ttl.map { " ttl \($0)" } ?? "")
            out += "    \(source) -> \(target) [label=\(quote(edgeLabel)), "
            out += "color=\"#c62828\", fontcolor=\"#c62828\", style=dashed];\n"
        }
    }

    /// `\nCHUNK_INFO: 5 from 4 peers (…)` for the client's note.
    private static func answerSummary(_ flood: Flood) -> String {
        let peers = Set(flood.answers.map(\.peer)).sorted(by: ReplayFormat.addressLess)
        let lost = flood.lost.filter { $0.message == .chunkInfo }.count
        var text = "\\nCHUNK_INFO: \(flood.answers.count) from \(peers.count) peer\(peers.count == 1 ? "" : "s")"
        if !peers.isEmpty { text += " (\(peers.joined(separator: ", ")))" }
        return lost > 0 ? text + ", \(lost) lost" : text
    }

    /// A DOT string literal. `\n` sequences already in `text` stay line breaks when `keepingLineBreaks`.
    static func quote(_ text: String, keepingLineBreaks: Bool = false) -> String {
        var out = "\""
        var chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\" {
                if keepingLineBreaks, i + 1 < chars.count, chars[i + 1] == "n" {
                    out += "\\n"
                    i += 2
                    continue
                }
                out += "\\\\"
            } else if c == "\"" {
                out += "\\\""
            } else if c == "\n" {
                out += "\\n"
            } else {
                out.append(c)
            }
            i += 1
        }
        chars.removeAll()
        return out + "\""
    }
}
