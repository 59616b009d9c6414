import ChunkTrace
import Plurals

extension FloodReplayer.Run {
    /// Flood `b` in its final shape: visits in time order with duplicates and expired queries marked, chunks
    /// not found or not delivered, and its summary.
    func finalize(_ b: FloodReplayer.Building) -> Flood {
        var flood = b.flood
        let order = flood.visits.indices.sorted {
            let (x, y) = (flood.visits[$0], flood.visits[$1])
            if x.untracedContact != y.untracedContact { return x.untracedContact }
            return (b.visitTimes[$0], x.hop, $0) < (b.visitTimes[$1], y.hop, $1)
        }
        var newID = [Int](repeating: 0, count: order.count)
        for (position, old) in order.enumerated() { newID[old] = position }
        var visits = order.map { flood.visits[$0] }
        var firstVisit: [String: Int] = [:]
        for i in visits.indices {
            visits[i].id = i
            visits[i].parent = visits[i].parent.map { newID[$0] }
            if let first = firstVisit[visits[i].node] {
                visits[i].duplicateOf = first
            } else {
                firstVisit[visits[i].node] = i
            }
            if let ttl = visits[i].ttl, ttl <= 1, visits[i].forwardedTo.isEmpty { visits[i].expired = true }
        }
        flood.visits = visits
        for i in flood.answers.indices { flood.answers[i].visit = newID[flood.answers[i].visit] }
        for i in flood.lost.indices { flood.lost[i].visit = flood.lost[i].visit.map { newID[$0] } }
        flood.answers.sort { $0.sentOffset < $1.sentOffset }
        flood.lost.sort { $0.offset < $1.offset }
        if let announced = b.announced {
            let delivered = Set(flood.deliveries.map(\.chunk))
            flood.notFound = flood.askedChunks.filter { !announced.contains($0) && !delivered.contains($0) }
            flood.notDelivered = flood.askedChunks.filter { announced.contains($0) && !delivered.contains($0) }
        }
        if b.inferredCauses > 0 {
            flood.notes.append(
                "\(counted(b.inferredCauses, "forward or answer", plural: "forwards and answers")) of nodes known "
                    + "from a capture have no cause on the wire: each is linked to the earliest matching receive "
                    + "before it at its node (inferred)")
        }
        if !flood.clientTraced {
            flood.notes.append("the client \(flood.client) has no trace: arrival times are the peers' send times")
        }
        var summary = flood.summary
        summary.peersReached = firstVisit.count
        summary.duplicates = visits.filter(\.isDuplicate).count
        summary.depth = visits.map(\.hop).max() ?? 0
        summary.expired = visits.filter(\.expired).count
        summary.lost = flood.lost.filter { $0.reason == .notReceived || $0.reason == .receiverDown }.count
        summary.lastChunkInfo = flood.answers.map { $0.receivedOffset ?? $0.sentOffset }.max()
        summary.lastChunk = flood.deliveries.map(\.offset).max()
        flood.summary = summary
        return flood
    }

    /// The sessions of the index, each with its nodes (peers first, by address) and runs.
    func makeSessions() -> [ReplaySession] {
        index.sessions.enumerated().map { (i, span) in
            var byNode: [Int32: ReplayNode] = [:]
            var order: [Int32] = []
            var runs: [String] = []
            var seenRuns = Set<Int32>()
            let streams = span.streams.sorted {
                index.streams[Int($0)].firstTimestamp < index.streams[Int($1)].firstTimestamp
            }
            for s in streams {
                let stream = index.streams[Int(s)]
                let run = index.runs[Int(stream.run)]
                if seenRuns.insert(stream.run).inserted { runs.append(run) }
                if var node = byNode[stream.node] {
                    node.runs.append(run)
                    node.firstEvent = min(node.firstEvent, stream.firstTimestamp)
                    node.lastEvent = max(node.lastEvent, stream.lastTimestamp)
                    node.events += stream.events.count
                    if stream.started {
                        node.neighbors = stream.neighbors.map(name)
                        node.held = stream.held
                    }
                    byNode[stream.node] = node
                } else {
                    order.append(stream.node)
                    byNode[stream.node] = ReplayNode(
                        address: name(stream.node), role: stream.role.rawValue, runs: [run],
                        neighbors: stream.neighbors.map(name), held: stream.held,
                        contact: stream.contact >= 0 ? name(stream.contact) : nil,
                        firstEvent: stream.firstTimestamp, lastEvent: stream.lastTimestamp,
                        events: stream.events.count)
                }
            }
            let nodes = order.compactMap { byNode[$0] }.sorted {
                $0.role != $1.role ? $0.role == "peer" : ReplayFormat.addressLess($0.address, $1.address)
            }
            return ReplaySession(index: i + 1, start: span.start, end: span.end, nodes: nodes, runs: runs)
        }
    }
}
