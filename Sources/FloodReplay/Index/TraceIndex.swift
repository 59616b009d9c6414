import ChunkTrace

/// Every event of a trace set in compact form, grouped by node and run, with the links replay follows: each
/// send to the receive that caused it (same node, `cause`), and each send to the receive that got it on the
/// other node (same sender, receiver, message, client, ttl and chunks, first in time).
///
/// Build it by calling `add(_:)` for each event in any order, then `finish()`; only then are links and
/// sessions available. Not thread-safe while building.
package struct TraceIndex: Sendable {
    var events: [IndexedEvent] = []
    var names: [String] = []
    private var nameIDs: [String: Int32] = [:]
    var runs: [String] = []
    private var runIDs: [String: Int32] = [:]
    var chunkLists: [[UInt16]] = []
    private var chunkListIDs: [[UInt16]: Int32] = [:]
    var streams: [TraceStream] = []
    var streamIDs: [StreamKey: Int32] = [:]
    var lastStream: (node: String, run: String, id: Int32)?
    private var recentNames: [(String?, Int32)] = Array(repeating: (nil, -1), count: 8)
    private var recentNameSlot = 0
    private var recentChunkLists: [(hash: UInt64, id: Int32)] = Array(repeating: (0, -1), count: 1024)

    /// For each event, the event it is linked to across nodes: a send's receive, a receive's send; -1 if none.
    var match: [Int32] = []
    /// For each send, the receive (same stream) named by its `cause`, or inferred for a node known from a capture
    /// (`causeInferred`); -1 if none.
    var causeOf: [Int32] = []
    /// For each send, whether `causeOf` was inferred (a capture has no `cause`) rather than read from the trace.
    var causeInferred: [Bool] = []
    /// The sends caused by event `i` are `caused[causedStart[i]..<causedStart[i+1]]`, in `seq` order.
    var causedStart: [Int32] = []
    var caused: [Int32] = []
    /// Time-ordered groups of streams that overlap in time: one experiment each.
    var sessions: [TraceSessionSpan] = []
    /// How far a receive may be stamped before its send (clocks of different hosts), in microseconds.
    package private(set) var clockSkew: Int64
    /// How long after its send a receive may come and still be matched to it, in microseconds.
    package private(set) var maxLatency: Int64
    /// Streams further apart in time than this are different sessions, in microseconds.
    package private(set) var sessionGap: Int64
    package private(set) var isFinished = false

    struct StreamKey: Hashable {
        var node: Int32
        var run: Int32
    }

    /// - Parameters:
    ///   - clockSkew: how far a receive may be stamped before its send, in microseconds.
    ///   - maxLatency: how long after its send a receive may come and still match, in microseconds.
    ///   - sessionGap: a pause longer than this with no node tracing separates two sessions, in microseconds.
    package init(clockSkew: Int64 = 100_000, maxLatency: Int64 = 500_000, sessionGap: Int64 = 10_000_000) {
        self.clockSkew = clockSkew
        self.maxLatency = maxLatency
        self.sessionGap = sessionGap
    }

    /// Builds and finishes an index over `events`.
    package init(
        events: some Sequence<TraceEvent>, clockSkew: Int64 = 100_000, maxLatency: Int64 = 500_000,
        sessionGap: Int64 = 10_000_000
    ) {
        self.init(clockSkew: clockSkew, maxLatency: maxLatency, sessionGap: sessionGap)
        for event in events { add(event) }
        finish()
    }

    /// The number of events added.
    package var count: Int { events.count }

    mutating func name(_ text: String) -> Int32 {
        // Addresses repeat from one event to the next: a few recent ones are compared before hashing.
        for (recent, id) in recentNames where recent == text { return id }
        let id: Int32
        if let known = nameIDs[text] {
            id = known
        } else {
            id = Int32(names.count)
            names.append(text)
            nameIDs[text] = id
        }
        recentNames[recentNameSlot] = (text, id)
        recentNameSlot = (recentNameSlot + 1) % recentNames.count
        return id
    }

    private mutating func chunkList(_ list: [UInt16]) -> Int32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for chunk in list { hash = (hash ^ UInt64(chunk)) &* 0x100_0000_01b3 }
        hash ^= UInt64(list.count)
        let slot = Int(hash % UInt64(recentChunkLists.count))
        let cached = recentChunkLists[slot]
        if cached.hash == hash, cached.id >= 0, chunkLists[Int(cached.id)] == list { return cached.id }
        let id: Int32
        if let known = chunkListIDs[list] {
            id = known
        } else {
            id = Int32(chunkLists.count)
            chunkLists.append(list)
            chunkListIDs[list] = id
        }
        recentChunkLists[slot] = (hash, id)
        return id
    }

    private mutating func stream(for event: TraceEvent) -> Int32 {
        if let last = lastStream, last.node == event.node, last.run == event.run { return last.id }
        let key = StreamKey(node: name(event.node), run: run(event.run))
        let id: Int32
        if let existing = streamIDs[key] {
            id = existing
        } else {
            id = Int32(streams.count)
            streams.append(TraceStream(node: key.node, run: key.run, role: event.role))
            streamIDs[key] = id
        }
        lastStream = (event.node, event.run, id)
        return id
    }

    /// Adds one event. Call before `finish()`.
    package mutating func add(_ event: TraceEvent) {
        precondition(!isFinished, "TraceIndex.add after finish")
        let streamID = stream(for: event)
        let peerText = event.kind == .send || event.kind == .retry ? event.to : event.from
        let compact = IndexedEvent(
            timestamp: Self.clampedTime(event.timestamp), seq: event.seq, cause: event.cause ?? 0, stream: streamID,
            node: streams[Int(streamID)].node, peer: peerText.map { name($0) } ?? -1,
            client: event.client.map { name($0) } ?? -1, chunks: event.chunks.map { chunkList($0) } ?? -1,
            ttl: event.ttl.map { Int32(clamping: $0) } ?? -1, size: Int32(clamping: event.size ?? event.bytes ?? 0),
            kind: event.kind, message: event.message)
        let index = Int32(events.count)
        events.append(compact)
        streams[Int(streamID)].events.append(index)
        let time = compact.timestamp
        if time < streams[Int(streamID)].firstTimestamp { streams[Int(streamID)].firstTimestamp = time }
        if time > streams[Int(streamID)].lastTimestamp { streams[Int(streamID)].lastTimestamp = time }
        switch event.kind {
        case .start:
            var stream = streams[Int(streamID)]
            stream.started = true
            stream.neighbors = (event.neighbors ?? []).map { name($0) }
            stream.held = event.held ?? []
            stream.contact = event.contact.map { name($0) } ?? -1
            stream.software = event.software
            streams[Int(streamID)] = stream
        case .stop, .done:
            streams[Int(streamID)].stopped = true
        default:
            break
        }
    }

    private mutating func run(_ text: String) -> Int32 {
        if let id = runIDs[text] { return id }
        let id = Int32(runs.count)
        runs.append(text)
        runIDs[text] = id
        return id
    }

    /// Adds every event of `other`, an index built over other files of the same trace set. Call before
    /// `finish()` on both: this is how several threads each read part of the files into their own index.
    package mutating func absorb(_ other: TraceIndex) {
        precondition(!isFinished && !other.isFinished, "TraceIndex.absorb after finish")
        let nameMap = other.names.map { name($0) }
        let runMap = other.runs.map { run($0) }
        let chunkMap = other.chunkLists.map { chunkList($0) }
        var streamMap = [Int32](repeating: 0, count: other.streams.count)
        for (s, theirs) in other.streams.enumerated() {
            let key = StreamKey(node: nameMap[Int(theirs.node)], run: runMap[Int(theirs.run)])
            let id: Int32
            if let existing = streamIDs[key] {
                id = existing
            } else {
                id = Int32(streams.count)
                streams.append(TraceStream(node: key.node, run: key.run, role: theirs.role))
                streamIDs[key] = id
            }
            streamMap[s] = id
            var mine = streams[Int(id)]
            mine.firstTimestamp = min(mine.firstTimestamp, theirs.firstTimestamp)
            mine.lastTimestamp = max(mine.lastTimestamp, theirs.lastTimestamp)
            if theirs.started {
                mine.started = true
                mine.neighbors = theirs.neighbors.map { nameMap[Int($0)] }
                mine.held = theirs.held
                mine.contact = theirs.contact >= 0 ? nameMap[Int(theirs.contact)] : -1
                mine.software = theirs.software
            }
            mine.stopped = mine.stopped || theirs.stopped
            mine.events.reserveCapacity(mine.events.count + theirs.events.count)
            streams[Int(id)] = mine
        }
        events.reserveCapacity(events.count + other.events.count)
        for var event in other.events {
            event.stream = streamMap[Int(event.stream)]
            event.node = nameMap[Int(event.node)]
            if event.peer >= 0 { event.peer = nameMap[Int(event.peer)] }
            if event.client >= 0 { event.client = nameMap[Int(event.client)] }
            if event.chunks >= 0 { event.chunks = chunkMap[Int(event.chunks)] }
            streams[Int(event.stream)].events.append(Int32(events.count))
            events.append(event)
        }
        lastStream = nil
    }

    /// A timestamp kept within ±2⁶⁰ µs (±36,000 years) so that differences and windows never overflow, whatever a
    /// damaged file says.
    static func clampedTime(_ micros: Int64) -> Int64 {
        min(max(micros, -(1 << 60)), 1 << 60)
    }

    /// Sorts every stream by `seq`, groups streams into sessions and links causes and matches.
    package mutating func finish() {
        guard !isFinished else { return }
        isFinished = true
        for s in streams.indices {
            let list = streams[s].events
            let inOrder = zip(list, list.dropFirst()).allSatisfy { events[Int($0)].seq <= events[Int($1)].seq }
            if !inOrder {
                let events = self.events
                streams[s].events.sort { events[Int($0)].seq < events[Int($1)].seq }
            }
        }
        dropCapturedCopies()
        buildSessions()
        linkCauses()
        matchMessages()
    }

    private mutating func buildSessions() {
        let order = streams.indices.sorted { streams[$0].firstTimestamp < streams[$1].firstTimestamp }
        var spans: [TraceSessionSpan] = []
        for s in order {
            let stream = streams[s]
            if var last = spans.last, stream.firstTimestamp <= last.end + sessionGap {
                last.end = max(last.end, stream.lastTimestamp)
                last.streams.append(Int32(s))
                spans[spans.count - 1] = last
            } else {
                spans.append(
                    TraceSessionSpan(start: stream.firstTimestamp, end: stream.lastTimestamp, streams: [Int32(s)]))
            }
        }
        for (index, span) in spans.enumerated() {
            for s in span.streams { streams[Int(s)].session = index }
        }
        sessions = spans
    }

    /// The event of `stream` whose seq is `seq`, if present.
    func event(inStream stream: Int32, seq: UInt64) -> Int32? {
        let list = streams[Int(stream)].events
        guard let first = list.first else { return nil }
        let guess = Int(truncatingIfNeeded: seq &- events[Int(first)].seq)
        if guess >= 0, guess < list.count, events[Int(list[guess])].seq == seq { return list[guess] }
        var low = 0
        var high = list.count
        while low < high {
            let mid = (low + high) / 2
            if events[Int(list[mid])].seq < seq { low = mid + 1 } else { high = mid }
        }
        return low < list.count && events[Int(list[low])].seq == seq ? list[low] : nil
    }

    private mutating func linkCauses() {
        let n = events.count
        causeOf = [Int32](repeating: -1, count: n)
        for i in 0..<n where events[i].kind == .send && events[i].cause != 0 {
            if let target = event(inStream: events[i].stream, seq: events[i].cause), events[Int(target)].kind == .recv {
                causeOf[i] = target
            }
        }
        inferCapturedCauses()
        var counts = [Int32](repeating: 0, count: n + 1)
        for i in 0..<n where causeOf[i] >= 0 { counts[Int(causeOf[i]) + 1] += 1 }
        for i in 0..<n { counts[i + 1] += counts[i] }
        causedStart = counts
        var fill = counts
        caused = [Int32](repeating: 0, count: Int(counts[n]))
        for s in streams {
            for i in s.events where causeOf[Int(i)] >= 0 {
                let target = Int(causeOf[Int(i)])
                caused[Int(fill[target])] = i
                fill[target] += 1
            }
        }
    }

    /// The sends that event `index` caused, in seq order.
    func sends(causedBy index: Int32) -> ArraySlice<Int32> {
        caused[Int(causedStart[Int(index)])..<Int(causedStart[Int(index) + 1])]
    }

    private struct MatchKey: Hashable {
        var sender: Int32
        var receiver: Int32
        var client: Int32
        var chunks: Int32
        var ttl: Int32
        var session: Int32
        var message: UInt8
    }

    private mutating func matchMessages() {
        let n = events.count
        match = [Int32](repeating: -1, count: n)
        var groupOf = [Int32](repeating: -1, count: n)
        var groups: [MatchKey: Int32] = [:]
        groups.reserveCapacity(n / 2)
        var counts: [Int32] = [0]
        for i in 0..<n {
            let e = events[i]
            guard let message = e.message, e.kind == .send || e.kind == .recv, e.peer >= 0 else { continue }
            let key = MatchKey(
                sender: e.kind == .send ? e.node : e.peer, receiver: e.kind == .send ? e.peer : e.node,
                client: e.client, chunks: e.chunks, ttl: e.ttl, session: Int32(streams[Int(e.stream)].session),
                message: message.code)
            let group: Int32
            if let existing = groups[key] {
                group = existing
            } else {
                group = Int32(counts.count - 1)
                groups[key] = group
                counts.append(0)
            }
            groupOf[i] = group
            counts[Int(group) + 1] += 1
        }
        for g in 0..<(counts.count - 1) { counts[g + 1] += counts[g] }
        var fill = counts
        var members = [Int32](repeating: 0, count: Int(counts[counts.count - 1]))
        for i in 0..<n where groupOf[i] >= 0 {
            let g = Int(groupOf[i])
            members[Int(fill[g])] = Int32(i)
            fill[g] += 1
        }
        var sends: [Int32] = []
        var recvs: [Int32] = []
        for g in 0..<(counts.count - 1) {
            sends.removeAll(keepingCapacity: true)
            recvs.removeAll(keepingCapacity: true)
            for m in members[Int(counts[g])..<Int(counts[g + 1])] {
                if events[Int(m)].kind == .send { sends.append(m) } else { recvs.append(m) }
            }
            guard !sends.isEmpty, !recvs.isEmpty else { continue }
            let byTime: (Int32, Int32) -> Bool = { [events] a, b in
                let (x, y) = (events[Int(a)], events[Int(b)])
                return x.timestamp != y.timestamp ? x.timestamp < y.timestamp : x.seq < y.seq
            }
            if sends.count > 1 { sends.sort(by: byTime) }
            if recvs.count > 1 { recvs.sort(by: byTime) }
            var j = 0
            for s in sends {
                let sent = events[Int(s)].timestamp
                while j < recvs.count, events[Int(recvs[j])].timestamp < sent - clockSkew { j += 1 }
                guard j < recvs.count, events[Int(recvs[j])].timestamp <= sent + maxLatency else { continue }
                match[Int(s)] = recvs[j]
                match[Int(recvs[j])] = s
                j += 1
            }
        }
    }
}
