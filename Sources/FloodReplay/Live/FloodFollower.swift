/// Picks, from successive replays of a growing trace set, the floods that are complete and not yet shown:
/// `p2ptrace replay --follow`.
///
/// A flood is complete when nothing of it happened for `settle` microseconds before `now` (by the traces'
/// clocks). Each flood is handed out once, recognised by its client, contact and start.
package struct FloodFollower: Sendable {
    /// How long a flood must have been quiet to count as complete, in microseconds.
    package var settle: Int64
    private var shown: Set<Key> = []

    private struct Key: Hashable {
        var client: String
        var contact: String
        var start: Int64
    }

    package init(settle: Int64 = 2_000_000) {
        self.settle = settle
    }

    /// The floods among `floods` complete at `now` (microseconds since the Unix epoch) and not handed out
    /// before, in their order.
    package mutating func newlyComplete(in floods: [Flood], now: Int64) -> [Flood] {
        var complete: [Flood] = []
        for flood in floods where flood.start + Self.lastOffset(of: flood) + settle <= now {
            if shown.insert(Key(client: flood.client, contact: flood.contact, start: flood.start)).inserted {
                complete.append(flood)
            }
        }
        return complete
    }

    /// The time of the flood's last known event, relative to its start.
    static func lastOffset(of flood: Flood) -> Int64 {
        var last: Int64 = 0
        for visit in flood.visits { last = max(last, visit.offset) }
        for answer in flood.answers { last = max(last, answer.receivedOffset ?? answer.sentOffset) }
        for delivery in flood.deliveries { last = max(last, delivery.offset) }
        for lost in flood.lost { last = max(last, lost.offset) }
        return last
    }
}
