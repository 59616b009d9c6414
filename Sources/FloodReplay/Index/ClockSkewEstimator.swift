/// Estimates each node's clock offset from the matched send/receive pairs of a finished `TraceIndex`, as
/// Jaeger's clock-skew adjuster does for spans: a receive cannot precede its send, and one-way delays are
/// positive.
///
/// For two nodes A and B, let `ab` be the smallest (B's receive − A's send) over A→B messages and `ba` the
/// reverse. With both directions, B's clock runs `(ab − ba) / 2` ahead of A's (the NTP estimate, assuming the
/// fastest message each way took about as long). With one direction only, nothing is known unless `ab < 0` (a
/// receive stamped before its send): then B runs at least `−ab` behind. Nothing is corrected unless some receive
/// is stamped before its send. Offsets are spread from the node with
/// the most partners, pair by pair, breadth first, then measured from the median clock of the group (so that one
/// wrong clock among many is the one adjusted); offsets under `threshold` are noise and left at 0.
struct ClockSkewEstimator {
    /// Offsets smaller than this are not corrected, in microseconds.
    var threshold: Int64 = 1_000

    /// One node's estimated clock offset: its clock minus the reference clock, in microseconds.
    struct Offset: Sendable, Hashable {
        var micros: Int64
        /// The send/receive pairs with its partners the estimate rests on.
        var pairs: Int
    }

    private struct Pair: Hashable {
        var from: Int32
        var to: Int32
    }

    /// The offset of every node whose clock differs from the reference by at least `threshold`, by node id.
    func estimate(_ index: TraceIndex) -> [Int32: Offset] {
        var fastest: [Pair: Int64] = [:]
        var counts: [Pair: Int] = [:]
        for (s, event) in index.events.enumerated() where event.kind == .send {
            let r = index.match[s]
            guard r >= 0 else { continue }
            let receive = index.events[Int(r)]
            guard receive.node != event.node else { continue }
            let pair = Pair(from: event.node, to: receive.node)
            let delay = receive.timestamp - event.timestamp
            fastest[pair] = min(fastest[pair] ?? .max, delay)
            counts[pair, default: 0] += 1
        }
        // Clocks are corrected only when the raw times are impossible (a receive before its send): on one host,
        // scheduling noise alone must never move anything.
        guard fastest.values.contains(where: { $0 < 0 }) else { return [:] }
        // relative[a][b]: how far b's clock runs ahead of a's.
        var relative: [Int32: [(node: Int32, ahead: Int64, pairs: Int)]] = [:]
        for (pair, ab) in fastest where pair.from < pair.to || fastest[Pair(from: pair.to, to: pair.from)] == nil {
            let reverse = Pair(from: pair.to, to: pair.from)
            let pairs = (counts[pair] ?? 0) + (counts[reverse] ?? 0)
            let ahead: Int64
            if let ba = fastest[reverse] {
                ahead = (ab - ba) / 2
            } else if ab < 0 {
                ahead = ab
            } else {
                continue
            }
            relative[pair.from, default: []].append((pair.to, ahead, pairs))
            relative[pair.to, default: []].append((pair.from, -ahead, pairs))
        }
        var offsets: [Int32: Offset] = [:]
        var placed: Set<Int32> = []
        let byPartners = relative.keys.sorted {
            (relative[$0]?.count ?? 0, $1) > (relative[$1]?.count ?? 0, $0)
        }
        for reference in byPartners where !placed.contains(reference) {
            placed.insert(reference)
            var queue: [(node: Int32, offset: Int64)] = [(reference, 0)]
            var head = 0
            while head < queue.count {
                let (node, offset) = queue[head]
                head += 1
                for edge in relative[node] ?? [] where !placed.contains(edge.node) {
                    placed.insert(edge.node)
                    queue.append((edge.node, offset + edge.ahead))
                }
            }
            let median = queue.map(\.offset).sorted()[queue.count / 2]
            for (node, offset) in queue where abs(offset - median) >= threshold {
                let pairs = relative[node]?.reduce(0) { $0 + $1.pairs } ?? 0
                offsets[node] = Offset(micros: offset - median, pairs: pairs)
            }
        }
        return offsets
    }
}

extension TraceIndex {
    /// Moves every event of each node in `offsets` back by its offset (node id → its clock minus the reference).
    mutating func adjustClocks(_ offsets: [Int32: ClockSkewEstimator.Offset]) {
        guard !offsets.isEmpty else { return }
        for i in events.indices {
            if let offset = offsets[events[i].node] { events[i].timestamp -= offset.micros }
        }
        for s in streams.indices {
            guard let offset = offsets[streams[s].node], !streams[s].events.isEmpty else { continue }
            streams[s].firstTimestamp -= offset.micros
            streams[s].lastTimestamp -= offset.micros
        }
    }
}
