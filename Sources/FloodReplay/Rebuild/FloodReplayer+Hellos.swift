import ChunkTrace

extension FloodReplayer.Run {
    /// Starts a flood at every HELLO a peer received, and at every HELLO a client sent that no peer shows
    /// receiving, in time order; each received HELLO's flood is followed through the sends it caused.
    mutating func startFloodsAtHellos() {
        for root in helloRoots() {
            if index.events[Int(root)].kind == .recv {
                startFlood(atReceived: root)
            } else {
                startFlood(atUnreceived: root)
            }
        }
    }

    /// Peers' HELLO receives and clients' HELLO sends without a matching receive, ordered by time.
    private func helloRoots() -> [Int32] {
        var roots: [(time: Int64, event: Int32)] = []
        for stream in index.streams {
            for e in stream.events {
                let event = index.events[Int(e)]
                guard event.message == .hello else { continue }
                if stream.role == .peer, event.kind == .recv {
                    roots.append((event.timestamp, e))
                } else if stream.role == .client, event.kind == .send, index.match[Int(e)] < 0 {
                    roots.append((event.timestamp, e))
                }
            }
        }
        roots.sort { $0.time != $1.time ? $0.time < $1.time : $0.event < $1.event }
        return roots.map(\.event)
    }

    private mutating func startFlood(atReceived root: Int32) {
        let event = index.events[Int(root)]
        var b = newFlood(
            session: session(of: root), client: event.peer, contact: event.node, asked: chunks(event.chunks),
            start: event.timestamp)
        b.flood.contactTraced = true
        b.flood.run = index.runs[Int(index.streams[Int(event.stream)].run)]
        b.rootEvent = root
        let hello = index.match[Int(root)]
        if hello >= 0 { b.flood.helloSentOffset = index.events[Int(hello)].timestamp - event.timestamp }
        building.append(b)
        let visit = addVisit(root, to: building.count - 1, parent: nil, hop: 0, senderUntraced: false)
        spread(from: root, visit: visit, flood: building.count - 1)
    }

    /// A client's HELLO that no peer's trace shows: the contact is untraced, or the HELLO was lost.
    private mutating func startFlood(atUnreceived root: Int32) {
        let event = index.events[Int(root)]
        let session = session(of: root)
        var b = newFlood(
            session: session, client: event.node, contact: event.peer, asked: chunks(event.chunks),
            start: event.timestamp)
        b.flood.helloSentOffset = 0
        let reason = lossReason(to: event.peer, at: event.timestamp, session: session)
        if reason == .receiverUntraced {
            b.flood.notes.append(
                "the contact peer \(name(event.peer)) has no trace: its answers and "
                    + "queries are known only from their receivers")
            b.flood.visits.append(untracedContactVisit(node: event.peer, from: event.node))
            b.visitTimes.append(event.timestamp)
            b.visitNodes.append(event.peer)
        } else {
            b.flood.notes.append("the HELLO never reached the contact peer \(name(event.peer))")
            b.flood.lost.append(
                LostDatagram(
                    message: .hello, from: name(event.node), to: name(event.peer), ttl: nil,
                    chunks: chunks(event.chunks), offset: 0, reason: reason, visit: nil))
        }
        building.append(b)
    }

    func newFlood(session: Int, client: Int32, contact: Int32, asked: [UInt16], start: Int64)
        -> FloodReplayer.Building
    {
        FloodReplayer.Building(
            flood: Flood(
                index: 0, session: session + 1, run: nil, client: name(client), contact: name(contact),
                askedChunks: asked, start: start, retryOf: nil, helloSentOffset: nil, contactTraced: false,
                clientTraced: false, visits: [], lost: [], answers: [], deliveries: [], notFound: [],
                notDelivered: [], clientMissing: [],
                summary: FloodSummary(
                    peersReached: 0, peersTraced: peersTraced[session], queryMessages: 0, duplicates: 0,
                    depth: 0, expired: 0, lost: 0, lastChunkInfo: nil, lastChunk: nil),
                notes: []),
            sessionIndex: session, clientNode: client)
    }

    func untracedContactVisit(node: Int32, from: Int32) -> FloodVisit {
        FloodVisit(
            id: 0, node: name(node), from: name(from), parent: nil, hop: 0, ttl: nil, offset: 0, sentOffset: nil,
            duplicateOf: nil,
            expired: false, forwardedTo: [], answered: [], senderUntraced: true, untracedContact: true)
    }

    mutating func addVisit(
        _ recv: Int32, to f: Int, parent: Int?, hop: Int, senderUntraced: Bool, sentAt: Int64? = nil
    ) -> Int {
        consumed[Int(recv)] = true
        let event = index.events[Int(recv)]
        let id = building[f].flood.visits.count
        building[f].flood.visits.append(
            FloodVisit(
                id: id, node: name(event.node), from: name(event.peer), parent: parent, hop: hop,
                ttl: event.message == .query && event.ttl >= 0 ? Int(event.ttl) : nil,
                offset: event.timestamp - building[f].flood.start,
                sentOffset: sentAt.map { $0 - building[f].flood.start }, duplicateOf: nil, expired: false,
                forwardedTo: [], answered: [], senderUntraced: senderUntraced, untracedContact: false))
        building[f].visitTimes.append(event.timestamp)
        building[f].visitNodes.append(event.node)
        return id
    }
}
