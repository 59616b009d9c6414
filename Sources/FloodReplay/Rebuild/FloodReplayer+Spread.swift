import ChunkTrace

extension FloodReplayer.Run {
    /// Follows the sends caused by `recv`, breadth first: each QUERY that arrived becomes a visit, each that
    /// did not a lost datagram; each CHUNK_INFO an answer.
    mutating func spread(from recv: Int32, visit: Int, flood f: Int) {
        var queue: [(recv: Int32, visit: Int)] = [(recv, visit)]
        var head = 0
        while head < queue.count {
            let (r, v) = queue[head]
            head += 1
            for s in index.sends(causedBy: r) {
                if index.causeInferred[Int(s)] { building[f].inferredCauses += 1 }
                switch index.events[Int(s)].message {
                case .query:
                    if let child = followQuery(s, from: v, flood: f) { queue.append(child) }
                case .chunkInfo:
                    recordAnswer(s, from: v, flood: f)
                default:
                    break
                }
            }
        }
    }

    /// The visit the QUERY `s` (sent from visit `v`) made, or `nil` when it was lost or reached a node this
    /// flood had already consumed.
    private mutating func followQuery(_ s: Int32, from v: Int, flood f: Int) -> (recv: Int32, visit: Int)? {
        let send = index.events[Int(s)]
        let m = index.match[Int(s)]
        building[f].flood.summary.queryMessages += 1
        building[f].flood.visits[v].forwardedTo.append(name(send.peer))
        if m >= 0, !consumed[Int(m)] {
            let hop = building[f].flood.visits[v].hop + 1
            let child = addVisit(m, to: f, parent: v, hop: hop, senderUntraced: false, sentAt: send.timestamp)
            return (m, child)
        }
        building[f].flood.lost.append(
            LostDatagram(
                message: .query, from: name(send.node), to: name(send.peer),
                ttl: send.ttl >= 0 ? Int(send.ttl) : nil, chunks: chunks(send.chunks),
                offset: send.timestamp - building[f].flood.start,
                reason: lossReason(to: send.peer, at: send.timestamp, session: building[f].sessionIndex),
                visit: v))
        return nil
    }

    private mutating func recordAnswer(_ s: Int32, from v: Int, flood f: Int) {
        let send = index.events[Int(s)]
        let m = index.match[Int(s)]
        let offset = send.timestamp - building[f].flood.start
        let list = chunks(send.chunks)
        building[f].flood.visits[v].answered.append(contentsOf: list)
        building[f].flood.answers.append(
            ChunkAnswer(
                peer: name(send.node), chunks: list, visit: v, sentOffset: offset,
                receivedOffset: m >= 0 ? index.events[Int(m)].timestamp - building[f].flood.start : nil))
        guard m < 0 else { return }
        let reason = lossReason(to: send.peer, at: send.timestamp, session: building[f].sessionIndex)
        if reason != .receiverUntraced {
            building[f].flood.lost.append(
                LostDatagram(
                    message: .chunkInfo, from: name(send.node), to: name(send.peer), ttl: nil,
                    chunks: list, offset: offset, reason: reason, visit: v))
        }
    }
}
