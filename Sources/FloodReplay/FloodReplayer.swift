import ChunkTrace
import Plurals

/// Rebuilds floods from a finished `TraceIndex`.
///
/// A flood starts at a HELLO received by a peer. Inside a node, `cause` links each send to the receive that
/// caused it; between nodes, the index matches each send to its receive. Receives of queries that no traced
/// send explains (the sender's trace is missing or damaged) are attached to the flood of the same client that
/// started last before them, or start a flood of their own.
package struct FloodReplayer: Sendable {
    /// How long after a flood's start a query that no traced send explains may still be attached to it,
    /// in microseconds.
    package var orphanWindow: Int64 = 10_000_000
    /// Whether clocks found off (`ClockSkewEstimator`) are corrected before floods are rebuilt.
    package var adjustClocks = true

    package init(adjustClocks: Bool = true) {
        self.adjustClocks = adjustClocks
    }

    /// Rebuilds every flood of `index` (finishing it first if needed).
    package func replay(_ index: TraceIndex) -> ReplayReport {
        var finished = index
        finished.finish()
        let offsets = adjustClocks ? ClockSkewEstimator().estimate(finished) : [:]
        finished.adjustClocks(offsets)
        var run = Run(index: finished, orphanWindow: orphanWindow)
        var report = run.replay()
        report.clockAdjustments = offsets.map {
            ClockAdjustment(node: finished.names[Int($0.key)], offset: $0.value.micros, pairs: $0.value.pairs)
        }.sorted { ReplayFormat.addressLess($0.node, $1.node) }
        guard !report.clockAdjustments.isEmpty else { return report }
        for adjustment in report.clockAdjustments {
            report.warnings.append(
                "the clock of \(adjustment.node) is \(ReplayFormat.offset(adjustment.offset)) off the others "
                    + "(estimated from \(counted(adjustment.pairs, "send/receive pair"))): its times are adjusted; "
                    + "--no-adjust shows raw times")
        }
        for f in report.floods.indices {
            let nodes = Set(report.floods[f].visits.map(\.node) + [report.floods[f].client])
            report.floods[f].clockAdjustments = report.clockAdjustments.filter { nodes.contains($0.node) }
        }
        return report
    }

    /// Rebuilds every flood of `events`.
    package func replay(events: some Sequence<TraceEvent>) -> ReplayReport {
        replay(TraceIndex(events: events))
    }
}

extension FloodReplayer {
    private struct SessionNode: Hashable {
        var session: Int
        var node: Int32
    }

    private struct Building {
        var flood: Flood
        var sessionIndex: Int
        var clientNode: Int32
        var visitTimes: [Int64] = []
        var visitNodes: [Int32] = []
        var rootEvent: Int32 = -1
        var clientStreams: [Int32] = []
        /// Chunks announced by this flood and its HELLO retries; `nil` for a retry.
        var announced: Set<UInt16>?
        /// Forwards and answers of this flood whose cause replay inferred (nodes known from a capture).
        var inferredCauses = 0
    }

    private struct Run {
        let index: TraceIndex
        let orphanWindow: Int64
        var consumed: [Bool]
        var building: [Building] = []
        var nodeStreams: [SessionNode: [Int32]] = [:]
        var peersTraced: [Int] = []
        var warnings: [String] = []
        /// The ttl contact peers put on their queries, as the traces show it (no fixed value is assumed).
        let initialTTL: Int

        init(index: TraceIndex, orphanWindow: Int64) {
            self.index = index
            self.orphanWindow = orphanWindow
            consumed = [Bool](repeating: false, count: index.events.count)
            initialTTL = Self.observedInitialTTL(index)
            for (s, stream) in index.streams.enumerated() {
                nodeStreams[SessionNode(session: stream.session, node: stream.node), default: []].append(Int32(s))
            }
            peersTraced = index.sessions.map { span in
                Set(
                    span.streams.compactMap { index.streams[Int($0)].role == .peer ? index.streams[Int($0)].node : nil }
                )
                .count
            }
        }

        /// The largest ttl of a query sent in answer to a HELLO; without one, the largest ttl of any query.
        static func observedInitialTTL(_ index: TraceIndex) -> Int {
            var fromHello: Int32 = -1
            var any: Int32 = -1
            for (i, event) in index.events.enumerated() where event.message == .query {
                any = max(any, event.ttl)
                let cause = event.kind == .send ? index.causeOf[i] : -1
                if cause >= 0, index.events[Int(cause)].message == .hello { fromHello = max(fromHello, event.ttl) }
            }
            return Int(fromHello >= 0 ? fromHello : any)
        }

        func name(_ id: Int32) -> String { id >= 0 ? index.names[Int(id)] : "?" }
        func chunks(_ id: Int32) -> [UInt16] { id >= 0 ? index.chunkLists[Int(id)] : [] }
        func session(of event: Int32) -> Int { index.streams[Int(index.events[Int(event)].stream)].session }

        func isTraced(_ node: Int32, session: Int) -> Bool {
            nodeStreams[SessionNode(session: session, node: node)] != nil
        }

        func lossReason(to node: Int32, at time: Int64, session: Int) -> LossReason {
            guard let streams = nodeStreams[SessionNode(session: session, node: node)] else { return .receiverUntraced }
            let up = streams.contains {
                index.streams[Int($0)].firstTimestamp <= time + index.clockSkew
                    && index.streams[Int($0)].lastTimestamp >= time
            }
            if up { return .notReceived }
            let ended = streams.contains {
                index.streams[Int($0)].stopped && index.streams[Int($0)].lastTimestamp < time
                    && index.streams[Int($0)].firstTimestamp <= time
            }
            return ended ? .receiverEnded : .receiverDown
        }

        mutating func replay() -> ReplayReport {
            startFloodsAtHellos()
            attachOrphanQueries()
            building.sort { $0.flood.start < $1.flood.start }
            attachClientSides()
            var floods: [Flood] = []
            floods.reserveCapacity(building.count)
            for (i, b) in building.enumerated() {
                var flood = finalize(b)
                flood.index = i + 1
                floods.append(flood)
            }
            return ReplayReport(sessions: makeSessions(), floods: floods, warnings: warnings)
        }

        // MARK: Floods from HELLOs

        private mutating func startFloodsAtHellos() {
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
            for root in roots {
                let event = index.events[Int(root.event)]
                let session = session(of: root.event)
                if event.kind == .recv {
                    var b = newFlood(
                        session: session, client: event.peer, contact: event.node, asked: chunks(event.chunks),
                        start: event.timestamp)
                    b.flood.contactTraced = true
                    b.flood.run = index.runs[Int(index.streams[Int(event.stream)].run)]
                    b.rootEvent = root.event
                    let hello = index.match[Int(root.event)]
                    if hello >= 0 { b.flood.helloSentOffset = index.events[Int(hello)].timestamp - event.timestamp }
                    building.append(b)
                    let visit = addVisit(root.event, to: building.count - 1, parent: nil, hop: 0, senderUntraced: false)
                    spread(from: root.event, visit: visit, flood: building.count - 1)
                } else {
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
            }
        }

        private func newFlood(session: Int, client: Int32, contact: Int32, asked: [UInt16], start: Int64)
            -> Building
        {
            Building(
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

        private func untracedContactVisit(node: Int32, from: Int32) -> FloodVisit {
            FloodVisit(
                id: 0, node: name(node), from: name(from), parent: nil, hop: 0, ttl: nil, offset: 0, sentOffset: nil,
                duplicateOf: nil,
                expired: false, forwardedTo: [], answered: [], senderUntraced: true, untracedContact: true)
        }

        private mutating func addVisit(
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

        /// Follows the sends caused by `recv`, breadth first.
        private mutating func spread(from recv: Int32, visit: Int, flood f: Int) {
            var queue: [(recv: Int32, visit: Int)] = [(recv, visit)]
            var head = 0
            let session = building[f].sessionIndex
            while head < queue.count {
                let (r, v) = queue[head]
                head += 1
                for s in index.sends(causedBy: r) {
                    let send = index.events[Int(s)]
                    if index.causeInferred[Int(s)] { building[f].inferredCauses += 1 }
                    let offset = send.timestamp - building[f].flood.start
                    let m = index.match[Int(s)]
                    switch send.message {
                    case .query:
                        building[f].flood.summary.queryMessages += 1
                        building[f].flood.visits[v].forwardedTo.append(name(send.peer))
                        if m >= 0, !consumed[Int(m)] {
                            let hop = building[f].flood.visits[v].hop + 1
                            let child = addVisit(
                                m, to: f, parent: v, hop: hop, senderUntraced: false, sentAt: send.timestamp)
                            queue.append((m, child))
                        } else {
                            building[f].flood.lost.append(
                                LostDatagram(
                                    message: .query, from: name(send.node), to: name(send.peer),
                                    ttl: send.ttl >= 0 ? Int(send.ttl) : nil, chunks: chunks(send.chunks),
                                    offset: offset,
                                    reason: lossReason(to: send.peer, at: send.timestamp, session: session),
                                    visit: v))
                        }
                    case .chunkInfo:
                        let list = chunks(send.chunks)
                        building[f].flood.visits[v].answered.append(contentsOf: list)
                        building[f].flood.answers.append(
                            ChunkAnswer(
                                peer: name(send.node), chunks: list, visit: v, sentOffset: offset,
                                receivedOffset: m >= 0 ? index.events[Int(m)].timestamp - building[f].flood.start : nil)
                        )
                        if m < 0 {
                            let reason = lossReason(to: send.peer, at: send.timestamp, session: session)
                            if reason != .receiverUntraced {
                                building[f].flood.lost.append(
                                    LostDatagram(
                                        message: .chunkInfo, from: name(send.node), to: name(send.peer), ttl: nil,
                                        chunks: list, offset: offset, reason: reason, visit: v))
                            }
                        }
                    default:
                        break
                    }
                }
            }
        }

        // MARK: Queries no traced send explains

        private mutating func attachOrphanQueries() {
            var orphans: [(time: Int64, event: Int32)] = []
            for stream in index.streams where stream.role == .peer {
                for e in stream.events where !consumed[Int(e)] {
                    let event = index.events[Int(e)]
                    if event.kind == .recv, event.message == .query { orphans.append((event.timestamp, e)) }
                }
            }
            guard !orphans.isEmpty else { return }
            orphans.sort { $0.time != $1.time ? $0.time < $1.time : $0.event < $1.event }
            var byClient: [SessionNode: [Int]] = [:]
            for (f, b) in building.enumerated() {
                byClient[SessionNode(session: b.sessionIndex, node: b.clientNode), default: []].append(f)
            }
            var attached = 0
            for orphan in orphans where !consumed[Int(orphan.event)] {
                let event = index.events[Int(orphan.event)]
                let session = session(of: orphan.event)
                let key = SessionNode(session: session, node: event.client)
                let candidates = byClient[key] ?? []
                var chosen: Int?
                for f in candidates {
                    let start = building[f].flood.start
                    if start <= event.timestamp + index.clockSkew, event.timestamp - start <= orphanWindow,
                        building[f].flood.askedChunks == chunks(event.chunks)
                    {
                        if chosen.map({ building[$0].flood.start <= start }) ?? true { chosen = f }
                    }
                }
                let ttl = Int(event.ttl)
                let f: Int
                if let chosen {
                    f = chosen
                } else {
                    let initial = ttl == initialTTL
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
                    f = building.count - 1
                    byClient[key, default: []].append(f)
                }
                var parent: Int?
                if let root = building[f].flood.visits.first, root.untracedContact, root.node == name(event.peer),
                    ttl == initialTTL
                {
                    parent = 0
                    building[f].flood.visits[0].forwardedTo.append(name(event.node))
                }
                let hop = parent != nil ? 1 : max(1, initialTTL + 1 - ttl)
                building[f].flood.summary.queryMessages += 1
                if isTraced(event.peer, session: session) {
                    building[f].flood.notes.append(
                        "\(name(event.peer)) has a trace but not the send of the query \(name(event.node)) received "
                            + "at +\(ReplayFormat.milliseconds(event.timestamp - building[f].flood.start)) "
                            + "(damaged or cut segment?)")
                }
                let visit = addVisit(orphan.event, to: f, parent: parent, hop: hop, senderUntraced: true)
                spread(from: orphan.event, visit: visit, flood: f)
                attached += 1
            }
            if attached > 0 {
                warnings.append(
                    "\(counted(attached, "query receive")) \(attached == 1 ? "has" : "have") no matching send "
                        + "in the traces (sender untraced or its trace "
                        + "damaged); they are shown with their sender marked untraced")
            }
        }

        // MARK: Client side: CHUNK_INFO receipt, GET/RESPONSE, missing chunks

        private mutating func attachClientSides() {
            var responsesTo: [SessionNode: [Int32]] = [:]
            for stream in index.streams where stream.role == .peer {
                for e in stream.events {
                    let event = index.events[Int(e)]
                    if event.kind == .send, event.message == .response {
                        responsesTo[SessionNode(session: stream.session, node: event.peer), default: []].append(e)
                    }
                }
            }
            for key in responsesTo.keys {
                responsesTo[key]?.sort { index.events[Int($0)].timestamp < index.events[Int($1)].timestamp }
            }
            // HELLOs the same client re-sent for the same request (hello retries) form one request: its GETs,
            // RESPONSEs and missing chunks belong to the first flood, up to the client's next request.
            var nextStart: [Int64] = Array(repeating: .max, count: building.count)
            var requestOfClient: [SessionNode: Int] = [:]
            var retries: [Int: [Int]] = [:]
            for f in building.indices {
                let key = SessionNode(session: building[f].sessionIndex, node: building[f].clientNode)
                let start = building[f].flood.start
                building[f].clientStreams = (nodeStreams[key] ?? []).filter {
                    index.streams[Int($0)].role == .client
                        && index.streams[Int($0)].covers(start, slack: index.maxLatency)
                }
                building[f].flood.clientTraced = !building[f].clientStreams.isEmpty
                if let first = requestOfClient[key] {
                    let sameRequest =
                        building[first].flood.askedChunks == building[f].flood.askedChunks
                        && start - building[retries[first]?.last ?? first].flood.start <= orphanWindow
                        && building[first].clientStreams == building[f].clientStreams
                    if sameRequest {
                        building[f].flood.retryOf = first + 1
                        retries[first, default: []].append(f)
                        continue
                    }
                    nextStart[first] = start
                }
                requestOfClient[key] = f
            }
            for f in building.indices where building[f].flood.retryOf == nil {
                var announced = Set(building[f].flood.answers.flatMap(\.chunks))
                for r in retries[f] ?? [] {
                    announced.formUnion(building[r].flood.answers.flatMap(\.chunks))
                    building[r].flood.notes.append(
                        "this HELLO repeats the request of flood #\(f + 1) (same client): its chunks are listed there")
                }
                building[f].announced = announced
                if let count = retries[f]?.count {
                    building[f].flood.notes.append(
                        "the client re-sent its HELLO \(counted(count, "time")): floods "
                            + (retries[f] ?? []).map { "#\($0 + 1)" }.joined(separator: ", "))
                }
                let key = SessionNode(session: building[f].sessionIndex, node: building[f].clientNode)
                let from = building[f].flood.start - index.clockSkew
                let until = nextStart[f]
                let start = building[f].flood.start
                let asked = Set(building[f].flood.askedChunks)
                let clientStreams = building[f].clientStreams
                var deliveries: [UInt16: ChunkDelivery] = [:]
                if !clientStreams.isEmpty {
                    var firstReceive: [UInt16: ChunkDelivery] = [:]
                    var lastReceive: [String: (time: Int64, size: Int)] = [:]
                    var sawSaved = false
                    for s in clientStreams {
                        for e in index.streams[Int(s)].events {
                            let event = index.events[Int(e)]
                            guard event.timestamp >= from, event.timestamp < until,
                                let chunk = chunks(event.chunks).first
                            else { continue }
                            switch event.kind {
                            case .recv where event.message == .response && asked.contains(chunk):
                                let delivery = ChunkDelivery(
                                    chunk: chunk, peer: name(event.peer), offset: event.timestamp - start,
                                    seenByClient: true, size: Int(event.size))
                                if firstReceive[chunk] == nil { firstReceive[chunk] = delivery }
                                lastReceive["\(chunk) \(event.peer)"] = (event.timestamp, Int(event.size))
                            case .saved:
                                sawSaved = true
                                if deliveries[chunk] == nil {
                                    let received = lastReceive["\(chunk) \(event.peer)"]
                                    deliveries[chunk] = ChunkDelivery(
                                        chunk: chunk, peer: name(event.peer),
                                        offset: (received?.time ?? event.timestamp) - start, seenByClient: true,
                                        size: received?.size ?? Int(event.size))
                                }
                            case .missing:
                                building[f].flood.clientMissing.append(contentsOf: chunks(event.chunks))
                            case .send where event.message == .get && index.match[Int(e)] < 0:
                                building[f].flood.lost.append(
                                    LostDatagram(
                                        message: .get, from: name(event.node), to: name(event.peer), ttl: nil,
                                        chunks: chunks(event.chunks), offset: event.timestamp - start,
                                        reason: lossReason(to: event.peer, at: event.timestamp, session: key.session),
                                        visit: nil))
                            default:
                                break
                            }
                        }
                    }
                    if !sawSaved { deliveries = firstReceive }
                }
                let responses = responsesTo[key] ?? []
                var low = 0
                var high = responses.count
                while low < high {
                    let mid = (low + high) / 2
                    if index.events[Int(responses[mid])].timestamp < from { low = mid + 1 } else { high = mid }
                }
                for e in responses[low...] {
                    let event = index.events[Int(e)]
                    if event.timestamp >= until { break }
                    guard let chunk = chunks(event.chunks).first, asked.contains(chunk) else { continue }
                    if clientStreams.isEmpty, deliveries[chunk] == nil {
                        deliveries[chunk] = ChunkDelivery(
                            chunk: chunk, peer: name(event.node), offset: event.timestamp - start, seenByClient: false,
                            size: Int(event.size))
                    }
                    if !clientStreams.isEmpty, index.match[Int(e)] < 0 {
                        building[f].flood.lost.append(
                            LostDatagram(
                                message: .response, from: name(event.node), to: name(event.peer), ttl: nil,
                                chunks: [chunk], offset: event.timestamp - start,
                                reason: lossReason(to: event.peer, at: event.timestamp, session: key.session),
                                visit: nil))
                    }
                }
                building[f].flood.deliveries = deliveries.values.sorted {
                    $0.offset != $1.offset ? $0.offset < $1.offset : $0.chunk < $1.chunk
                }
            }
        }

        // MARK: Final shape

        private func finalize(_ b: Building) -> Flood {
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

        private func makeSessions() -> [ReplaySession] {
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
}
