import ChunkTrace

extension TraceIndex {
    /// How far back a send of a captured node looks for the receive that caused it, in microseconds.
    static let inferenceWindow: Int64 = 5_000_000
    /// How many receives back a send of a captured node looks, at most.
    static let inferenceDepth = 512

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
    /// earliest receive before it, at that node, that it answers or forwards and that has not yet caused such a
    /// send to that destination (a peer handles its datagrams in order). A QUERY forwards a QUERY of the same
    /// client and chunks with a ttl one higher from another neighbour, or the client's HELLO; a CHUNK_INFO answers
    /// the client's HELLO or a QUERY for it that asked its chunks; a RESPONSE answers the client's GET for its
    /// chunk; a client's GET follows a CHUNK_INFO announcing its chunks.
    mutating func inferCapturedCauses() {
        causeInferred = [Bool](repeating: false, count: events.count)
        for s in streams.indices where isCaptured(s) {
            var receives: [Int32] = []
            var used = Set<UsedCause>()
            for e in streams[s].events {
                let event = events[Int(e)]
                if event.kind == .recv {
                    receives.append(e)
                    continue
                }
                guard event.kind == .send, causeOf[Int(e)] < 0, event.message != nil else { continue }
                var chosen: Int32?
                for r in receives.suffix(Self.inferenceDepth).reversed() {
                    let received = events[Int(r)]
                    if received.timestamp < event.timestamp - Self.inferenceWindow { break }
                    guard causes(received, event) else { continue }
                    if !used.contains(UsedCause(receive: r, send: event)) || chosen == nil { chosen = r }
                }
                guard let chosen else { continue }
                used.insert(UsedCause(receive: chosen, send: event))
                causeOf[Int(e)] = chosen
                causeInferred[Int(e)] = true
            }
        }
    }

    private struct UsedCause: Hashable {
        var receive: Int32
        var message: TraceMessageType?
        var peer: Int32
        var chunks: Int32

        init(receive: Int32, send: IndexedEvent) {
            self.receive = receive
            message = send.message
            peer = send.peer
            chunks = send.chunks
        }
    }

    /// Whether receiving `received` makes a node send `sent`, by the protocol's rules.
    private func causes(_ received: IndexedEvent, _ sent: IndexedEvent) -> Bool {
        switch (sent.message, received.message) {
        case (.query, .query):
            return received.client == sent.client && received.chunks == sent.chunks
                && received.ttl == sent.ttl + 1 && received.peer != sent.peer
        case (.query, .hello):
            return received.peer == sent.client && received.chunks == sent.chunks
        case (.chunkInfo, .hello), (.chunkInfo, .query):
            let client = received.message == .hello ? received.peer : received.client
            return client == sent.peer && isSubset(sent.chunks, of: received.chunks)
        case (.response, .get), (.get, .chunkInfo):
            return received.peer == sent.peer && isSubset(sent.chunks, of: received.chunks)
        default:
            return false
        }
    }

    private func isSubset(_ list: Int32, of other: Int32) -> Bool {
        guard list >= 0, other >= 0 else { return list < 0 }
        return list == other || Set(chunkLists[Int(other)]).isSuperset(of: chunkLists[Int(list)])
    }
}
