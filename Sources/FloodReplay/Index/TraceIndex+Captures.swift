import ChunkTrace

extension TraceIndex {
    /// How far back a send of a captured node looks for the receive that caused it, in microseconds.
    static let inferenceWindow: Int64 = 1_000_000
    /// How many receives of one kind (same client, or same sender) a captured node keeps as possible causes.
    static let inferenceDepth = 64

    /// Whether stream `s` was written from a capture (`p2ptrace import`/`capture`) rather than by the node.
    func isCaptured(_ s: Int) -> Bool { TraceEvent.isCaptureSoftware(streams[s].software) }

    /// Removes a capture's copy of what a node's own trace already holds: the events of a captured stream at times
    /// its node's own trace covers (the same flood seen by both is shown once). Streams left empty are removed.
    mutating func dropCapturedCopies() {
        var traced: [Int32: [(first: Int64, last: Int64)]] = [:]
        for (s, stream) in streams.enumerated() where !isCaptured(s) {
            traced[stream.node, default: []].append((stream.firstTimestamp, stream.lastTimestamp))
        }
        let copied = streams.indices.filter { isCaptured($0) && traced[streams[$0].node] != nil }
        guard !copied.isEmpty else { return }
        var keep = [Bool](repeating: true, count: events.count)
        for s in copied {
            let spans = traced[streams[s].node] ?? []
            for e in streams[s].events {
                let time = events[Int(e)].timestamp
                if spans.contains(where: { time >= $0.first - clockSkew && time <= $0.last + clockSkew }) {
                    keep[Int(e)] = false
                }
            }
        }
        compact(keeping: keep)
    }

    /// Keeps only the events marked in `keep` (and the streams still holding any), renumbering both.
    private mutating func compact(keeping keep: [Bool]) {
        var newIndex = [Int32](repeating: -1, count: events.count)
        var kept: [IndexedEvent] = []
        kept.reserveCapacity(events.count)
        for i in events.indices where keep[i] {
            newIndex[i] = Int32(kept.count)
            kept.append(events[i])
        }
        var newStreams: [TraceStream] = []
        var streamIndex = [Int32](repeating: -1, count: streams.count)
        for (s, var stream) in streams.enumerated() {
            stream.events = stream.events.compactMap { newIndex[Int($0)] >= 0 ? newIndex[Int($0)] : nil }
            guard !stream.events.isEmpty else { continue }
            stream.firstTimestamp = stream.events.map { kept[Int($0)].timestamp }.min() ?? stream.firstTimestamp
            stream.lastTimestamp = stream.events.map { kept[Int($0)].timestamp }.max() ?? stream.lastTimestamp
            streamIndex[s] = Int32(newStreams.count)
            newStreams.append(stream)
        }
        for i in kept.indices { kept[i].stream = streamIndex[Int(kept[i].stream)] }
        streamIDs = streamIDs.compactMapValues { streamIndex[Int($0)] >= 0 ? streamIndex[Int($0)] : nil }
        lastStream = nil
        events = kept
        streams = newStreams
    }

    /// Links each send of a captured node that has no `cause` to the receive that most likely caused it: the
    /// earliest receive before it (within `inferenceWindow`), at that node, that it answers or forwards and that has
    /// not yet caused such a send to that destination (a peer handles its datagrams in order); when every candidate
    /// has, the latest one. A QUERY forwards a QUERY of the same client and chunks with a ttl one higher from another
    /// neighbour, or the client's HELLO; a CHUNK_INFO answers the client's HELLO or a QUERY for it that asked its
    /// chunks; a RESPONSE answers the client's GET for its chunk; a client's GET follows a CHUNK_INFO announcing its
    /// chunks.
    mutating func inferCapturedCauses() {
        causeInferred = [Bool](repeating: false, count: events.count)
        for s in streams.indices where isCaptured(s) {
            var candidates = CauseCandidates()
            for e in streams[s].events {
                let event = events[Int(e)]
                if event.kind == .recv {
                    candidates.add(e, event)
                    continue
                }
                guard event.kind == .send, causeOf[Int(e)] < 0, event.message != nil,
                    let chosen = candidates.choose(for: event, in: self)
                else { continue }
                causeOf[Int(e)] = chosen
                causeInferred[Int(e)] = true
            }
        }
    }

    /// Whether chunk list `list` is within chunk list `other` (ids, not order).
    func isSubset(_ list: Int32, of other: Int32) -> Bool {
        guard list >= 0, other >= 0 else { return list < 0 }
        guard list != other else { return true }
        let theirs = chunkLists[Int(other)]
        return chunkLists[Int(list)].allSatisfy { theirs.contains($0) }
    }
}

/// The receives of one captured node that may have caused its later sends, indexed by what a send must share with
/// its cause, and which of them already caused which send.
private struct CauseCandidates {
    private enum Key: Hashable {
        /// A QUERY received: client, chunks, ttl.
        case query(Int32, Int32, Int32)
        /// A HELLO received: client (its sender), chunks.
        case hello(Int32, Int32)
        /// A HELLO or QUERY received for this client: what a CHUNK_INFO to it may answer.
        case asking(Int32)
        /// A GET or CHUNK_INFO received from this node.
        case get(Int32)
        case chunkInfo(Int32)
    }

    private struct Used: Hashable {
        var receive: Int32
        var message: TraceMessageType?
        var peer: Int32
        var chunks: Int32
    }

    private var lists: [Key: [Int32]] = [:]
    private var used = Set<Used>()

    mutating func add(_ index: Int32, _ event: IndexedEvent) {
        switch event.message {
        case .query:
            append(index, to: .query(event.client, event.chunks, event.ttl))
            append(index, to: .asking(event.client))
        case .hello:
            append(index, to: .hello(event.peer, event.chunks))
            append(index, to: .asking(event.peer))
        case .get: append(index, to: .get(event.peer))
        case .chunkInfo: append(index, to: .chunkInfo(event.peer))
        default: break
        }
    }

    private mutating func append(_ index: Int32, to key: Key) {
        lists[key, default: []].append(index)
        if let count = lists[key]?.count, count > TraceIndex.inferenceDepth * 2 {
            lists[key]?.removeFirst(count - TraceIndex.inferenceDepth)
        }
    }

    /// The receive that caused `send`, if any; marks it as having caused such a send.
    mutating func choose(for send: IndexedEvent, in index: TraceIndex) -> Int32? {
        let keys: [Key]
        switch send.message {
        case .query: keys = [.query(send.client, send.chunks, send.ttl + 1), .hello(send.client, send.chunks)]
        case .chunkInfo: keys = [.asking(send.peer)]
        case .response: keys = [.get(send.peer)]
        case .get: keys = [.chunkInfo(send.peer)]
        default: return nil
        }
        var earliestUnused: Int32?
        var latest: Int32?
        for key in keys {
            for r in (lists[key] ?? []).reversed() {
                let received = index.events[Int(r)]
                if received.timestamp < send.timestamp - TraceIndex.inferenceWindow { break }
                if send.message == .query, received.message == .query, received.peer == send.peer { continue }
                if send.message != .query, !index.isSubset(send.chunks, of: received.chunks) { continue }
                if latest.map({ received.seq > index.events[Int($0)].seq }) ?? true { latest = r }
                if !used.contains(Used(receive: r, message: send.message, peer: send.peer, chunks: send.chunks)),
                    earliestUnused.map({ received.seq < index.events[Int($0)].seq }) ?? true
                {
                    earliestUnused = r
                }
            }
        }
        guard let chosen = earliestUnused ?? latest else { return nil }
        used.insert(Used(receive: chosen, message: send.message, peer: send.peer, chunks: send.chunks))
        return chosen
    }
}
