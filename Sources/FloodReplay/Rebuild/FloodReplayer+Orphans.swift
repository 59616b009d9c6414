import ChunkTrace
import Plurals

extension FloodReplayer.Run {
    /// Attaches the query receives no traced send explains (their sender's trace is missing or damaged) to the
    /// latest flood of the same client and chunks that started shortly before, or starts a flood for them.
    mutating func attachOrphanQueries() {
        let orphans = unexplainedQueryReceives()
        guard !orphans.isEmpty else { return }
        var byClient = floodsByClient()
        var attached = 0
        for orphan in orphans where !consumed[Int(orphan)] {
            let f = floodForOrphan(orphan, byClient: &byClient)
            attachOrphan(orphan, to: f)
            attached += 1
        }
        if attached > 0 {
            warnings.append(
                "\(counted(attached, "query receive")) \(attached == 1 ? "has" : "have") no matching send "
                    + "in the traces (sender untraced or its trace "
                    + "damaged); they are shown with their sender marked untraced")
        }
    }

    /// Peers' query receives no flood has consumed, in time order.
    private func unexplainedQueryReceives() -> [Int32] {
        var orphans: [(time: Int64, event: Int32)] = []
        for stream in index.streams where stream.role == .peer {
            for e in stream.events where !consumed[Int(e)] {
                let event = index.events[Int(e)]
                if event.kind == .recv, event.message == .query { orphans.append((event.timestamp, e)) }
            }
        }
        orphans.sort { $0.time != $1.time ? $0.time < $1.time : $0.event < $1.event }
        return orphans.map(\.event)
    }

    private func floodsByClient() -> [FloodReplayer.SessionNode: [Int]] {
        var byClient: [FloodReplayer.SessionNode: [Int]] = [:]
        for (f, b) in building.enumerated() {
            byClient[FloodReplayer.SessionNode(session: b.sessionIndex, node: b.clientNode), default: []].append(f)
        }
        return byClient
    }

    /// The latest flood among `candidates` that asked the chunks of `event` and started at most `orphanWindow`
    /// before it.
    private func latestFlood(accepting event: IndexedEvent, among candidates: [Int]) -> Int? {
        var chosen: Int?
        for f in candidates {
            let start = building[f].flood.start
            if start <= event.timestamp + index.clockSkew, event.timestamp - start <= orphanWindow,
                building[f].flood.askedChunks == chunks(event.chunks)
            {
                if chosen.map({ building[$0].flood.start <= start }) ?? true { chosen = f }
            }
        }
        return chosen
    }

    /// The flood the orphan query receive `orphan` belongs to; a new one (registered in `byClient`) when none
    /// fits.
    private mutating func floodForOrphan(_ orphan: Int32, byClient: inout [FloodReplayer.SessionNode: [Int]]) -> Int {
        let event = index.events[Int(orphan)]
        let session = session(of: orphan)
        let key = FloodReplayer.SessionNode(session: session, node: event.client)
        if let chosen = latestFlood(accepting: event, among: byClient[key] ?? []) { return chosen }
        let initial = Int(event.ttl) == initialTTL
        var b = newFlood(
            session: session, client: event.client, contact: initial ? event.peer : -1,
            asked: chunks(event.chunks), start: event.timestamp)
        b.flood.notes.append(
            "no trace shows the HELLO of this flood (the contact peer's trace is missing or damaged); "
                + "it is rebuilt from the queries its peers received")
        if initial {
            b.flood.visits.append(untracedContactVisit(node: event.peer, from: event.client))
            b.visitTimes.append(event.timestamp)
            b.visitNodes.append(event.peer)
        }
        building.append(b)
        byClient[key, default: []].append(building.count - 1)
        return building.count - 1
    }

    /// Adds the orphan query receive as a visit of flood `f` (under its untraced contact when the ttl says the
    /// contact sent it) and follows what it caused.
    private mutating func attachOrphan(_ orphan: Int32, to f: Int) {
        let event = index.events[Int(orphan)]
        let ttl = Int(event.ttl)
        var parent: Int?
        if let root = building[f].flood.visits.first, root.untracedContact, root.node == name(event.peer),
            ttl == initialTTL
        {
            parent = 0
            building[f].flood.visits[0].forwardedTo.append(name(event.node))
        }
        let hop = parent != nil ? 1 : max(1, initialTTL + 1 - ttl)
        building[f].flood.summary.queryMessages += 1
        if isTraced(event.peer, session: session(of: orphan)) {
            building[f].flood.notes.append(
                "\(name(event.peer)) has a trace but not the send of the query \(name(event.node)) received "
                    + "at +\(ReplayFormat.milliseconds(event.timestamp - building[f].flood.start)) "
                    + "(damaged or cut segment?)")
        }
        let visit = addVisit(orphan, to: f, parent: parent, hop: hop, senderUntraced: true)
        spread(from: orphan, visit: visit, flood: f)
    }
}
