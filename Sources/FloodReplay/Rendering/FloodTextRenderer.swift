import Plurals

/// The plain-text rendering of floods: a tree of queries per flood, then answers, chunks and a summary.
package enum FloodTextRenderer {
    /// The full text of `floods`, one block each, separated by a blank line.
    package static func render(_ floods: [Flood]) -> String {
        floods.map(render).joined(separator: "\n")
    }

    /// Writes the text of `floods` to `out`, flood by flood.
    package static func render(_ floods: [Flood], to out: ReplayOutputStream) {
        for (i, flood) in floods.enumerated() {
            if i > 0 { out.write("\n") }
            out.write(render(flood))
        }
    }

    /// One line per flood, for `--list`.
    package static func list(_ floods: [Flood]) -> String {
        floods.map { flood in
            let delivered = flood.deliveries.count
            let ending =
                flood.retryOf.map { "HELLO retry of #\($0)\n" } ?? "chunks \(delivered)/\(flood.askedChunks.count)\n"
            return "#\(flood.index)  session \(flood.session)  \(ReplayFormat.timestamp(flood.start))  "
                + "client \(flood.client)  contact \(flood.contact)  "
                + "asked \(ReplayFormat.chunkList(flood.askedChunks))  "
                + "reached \(flood.summary.peersReached)/\(flood.summary.peersTraced)  " + ending
        }.joined()
    }

    /// The text block of one flood.
    package static func render(_ flood: Flood) -> String {
        var out = ""
        appendHeader(flood, to: &out)
        appendQueries(flood, to: &out)
        appendLost(flood, to: &out)
        appendAnswers(flood, to: &out)
        appendChunks(flood, to: &out)
        appendSummary(flood, to: &out)
        return out
    }

    /// The flood's client, contact, notes and clock corrections.
    private static func appendHeader(_ flood: Flood, to out: inout String) {
        out += "Flood #\(flood.index) (session \(flood.session)) at \(ReplayFormat.timestamp(flood.start))"
        out += flood.retryOf.map { "  HELLO retry of flood #\($0)\n" } ?? "\n"
        out += "  client   \(flood.client)  asked \(ReplayFormat.chunkList(flood.askedChunks))"
        if let hello = flood.helloSentOffset { out += "  (HELLO sent \(ReplayFormat.offset(hello)))" }
        out += flood.clientTraced ? "\n" : "  [no trace]\n"
        out += "  contact  \(flood.contact)"
        out += flood.contactTraced ? (flood.run.map { "  run \($0)" } ?? "") : "  [no trace]"
        out += "\n"
        for note in flood.notes { out += "  note: \(note)\n" }
        for clock in flood.clockAdjustments {
            out += "  clock adjusted: \(clock.node) runs \(ReplayFormat.offset(clock.offset)) off the others "
            out += "(\(counted(clock.pairs, "send/receive pair"))); its times are adjusted, raw times in [brackets]\n"
        }
    }

    /// The tree of queries, then the expired ones.
    private static func appendQueries(_ flood: Flood, to out: inout String) {
        out += "  queries (node, hop, ttl received, time since the HELLO):\n"
        let lostByVisit = Dictionary(grouping: flood.lost.filter { $0.message == .query && $0.visit != nil }) {
            $0.visit ?? -1
        }
        let children = Dictionary(grouping: flood.visits.filter { $0.parent != nil }) { $0.parent ?? -1 }
        for root in flood.children(of: nil) {
            renderTree(root, in: flood, children: children, lostByVisit: lostByVisit, to: &out)
        }
        let expired = flood.visits.filter(\.expired)
        if !expired.isEmpty {
            out += "  expired queries (ttl ≤ 1, not forwarded): "
            out += expired.map { "\($0.node) (from \($0.from))" }.joined(separator: ", ") + "\n"
        }
    }

    /// Datagrams lost, sent after their receiver ended, or sent to untraced nodes.
    private static func appendLost(_ flood: Flood, to out: inout String) {
        let lost = flood.lost.filter { $0.reason == .notReceived || $0.reason == .receiverDown }
        let untraced = flood.lost.filter { $0.reason == .receiverUntraced }
        let late = flood.lost.filter { $0.reason == .receiverEnded }
        if lost.isEmpty {
            out += "  lost datagrams: none\n"
        } else {
            out += "  lost datagrams:\n"
            for datagram in lost { out += "    \(describe(datagram))\n" }
        }
        if !late.isEmpty {
            out += "  sent after the receiver had ended:\n"
            for datagram in late { out += "    \(describe(datagram))\n" }
        }
        if !untraced.isEmpty {
            out += "  sent to nodes without traces:\n"
            for datagram in untraced { out += "    \(describe(datagram))\n" }
        }
    }

    /// The CHUNK_INFO answers to the client.
    private static func appendAnswers(_ flood: Flood, to out: inout String) {
        out += "  answers (CHUNK_INFO to the client):\n"
        if flood.answers.isEmpty { out += "    none\n" }
        for answer in flood.answers {
            out += "    \(answer.peer)  chunks \(ReplayFormat.chunkList(answer.chunks))  "
            out += "sent \(ReplayFormat.offset(answer.sentOffset))"
            if let received = answer.receivedOffset { out += "  received \(ReplayFormat.offset(received))" }
            out += "\n"
        }
    }

    /// Where each asked chunk came from, or why it did not.
    private static func appendChunks(_ flood: Flood, to out: inout String) {
        if let first = flood.retryOf {
            out += "  chunks: see flood #\(first) (this HELLO repeats its request)\n"
        } else {
            out += "  chunks:\n"
        }
        for chunk in flood.askedChunks where flood.retryOf == nil {
            if let delivery = flood.deliveries.first(where: { $0.chunk == chunk }) {
                let verb = delivery.seenByClient ? "arrived" : "sent (client untraced)"
                out += "    \(chunk)  from \(delivery.peer)  \(verb) \(ReplayFormat.offset(delivery.offset))\n"
            } else if flood.notFound.contains(chunk) {
                out += "    \(chunk)  nobody had it\n"
            } else {
                let who = flood.answers.filter { $0.chunks.contains(chunk) }.map(\.peer)
                out += "    \(chunk)  announced by \(who.joined(separator: ", ")) but never delivered\n"
            }
        }
        if !flood.clientMissing.isEmpty {
            out += "  client reported missing: \(ReplayFormat.chunkList(flood.clientMissing))\n"
        }
    }

    /// The flood's figures on one line.
    private static func appendSummary(_ flood: Flood, to out: inout String) {
        let s = flood.summary
        out +=
            "  summary: peers reached \(s.peersReached) of \(s.peersTraced) traced, "
            + "\(counted(s.queryMessages, "query message")), "
        out +=
            "\(counted(s.duplicates, "duplicate")), depth \(s.depth), \(s.expired) expired, \(s.lost) lost"
        out += ", last CHUNK_INFO \(s.lastChunkInfo.map(ReplayFormat.offset) ?? "none")"
        out += ", last chunk \(s.lastChunk.map(ReplayFormat.offset) ?? "none")\n"
    }

    /// Tree levels indented; deeper levels keep the indentation of the last one (each line names its hop).
    static let maxIndentedLevels = 24

    private enum TreeItem {
        case visit(FloodVisit)
        case lost(LostDatagram)
        var offset: Int64 {
            switch self {
            case .visit(let v): v.offset
            case .lost(let l): l.offset
            }
        }
    }

    /// Writes the query tree under `root` depth first, with an explicit stack: a flood of any depth renders.
    private static func renderTree(
        _ root: FloodVisit, in flood: Flood, children childrenOf: [Int: [FloodVisit]],
        lostByVisit: [Int: [LostDatagram]], to out: inout String
    ) {
        let indentLimit = 4 + 3 * maxIndentedLevels
        var stack: [(item: TreeItem, prefix: String, childPrefix: String)] = [(.visit(root), "    ", "    ")]
        while let (item, prefix, childPrefix) = stack.popLast() {
            switch item {
            case .lost(let l):
                out += prefix + "✗ \(l.to)  ttl \(l.ttl.map(String.init) ?? "?")  "
                out += "sent \(ReplayFormat.offset(l.offset))  " + l.reason.description.uppercased() + "\n"
            case .visit(let visit):
                out += prefix + describe(visit, in: flood) + "\n"
                let children =
                    ((childrenOf[visit.id] ?? []).map(TreeItem.visit)
                    + (lostByVisit[visit.id] ?? []).map(TreeItem.lost)).sorted { $0.offset < $1.offset }
                let capped = childPrefix.count >= indentLimit
                for (i, child) in children.enumerated().reversed() {
                    let last = i == children.count - 1
                    let branch = childPrefix + (last ? "└─ " : "├─ ")
                    let continuation = capped ? childPrefix : childPrefix + (last ? "   " : "│  ")
                    stack.append((child, capped ? childPrefix + "↳ " : branch, continuation))
                }
            }
        }
    }

    private static func describe(_ visit: FloodVisit, in flood: Flood) -> String {
        var line = "\(visit.node)  hop \(visit.hop)"
        if visit.untracedContact { return line + "  HELLO  [no trace]" }
        line += visit.ttl.map { "  ttl \($0)" } ?? "  HELLO"
        line += "  \(ReplayFormat.offset(visit.offset))"
        let raw = flood.rawOffset(visit.offset, at: visit.node)
        if raw != visit.offset { line += " [raw \(ReplayFormat.offset(raw))] (clock adjusted)" }
        if visit.senderUntraced { line += "  (from \(visit.from), sender's send not traced)" }
        if let first = visit.duplicateOf {
            let via = flood.visits[first].parent.map { flood.visits[$0].node } ?? flood.visits[first].from
            line += "  DUPLICATE (already reached via \(via))"
        }
        if visit.expired { line += "  expired" }
        if !visit.answered.isEmpty { line += "  → CHUNK_INFO \(ReplayFormat.chunkList(visit.answered))" }
        return line
    }

    private static func describe(_ datagram: LostDatagram) -> String {
        var text = "\(datagram.message.rawValue.uppercased()) \(datagram.from) → \(datagram.to)"
        if let ttl = datagram.ttl { text += " ttl \(ttl)" }
        text += " chunks \(ReplayFormat.chunkList(datagram.chunks)) sent \(ReplayFormat.offset(datagram.offset)): "
        return text + datagram.reason.description
    }
}
