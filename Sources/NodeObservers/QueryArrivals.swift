/// When each recent QUERY arrived, by its `seq`, until the CHUNK_INFO it caused is sent.
///
/// A batching sender records a read burst's sends only when it flushes, after every receive of the burst, so
/// several QUERYs can wait at once. Fixed memory: one slot per `seq` modulo the capacity, overwritten by later
/// events; an arrival overwritten before its answer is simply not timed.
struct QueryArrivals {
    private var slots: [(seq: UInt64, timestamp: Int64)]

    init(capacity: Int = 1024) {
        slots = Array(repeating: (0, 0), count: max(capacity, 1))
    }

    /// Notes that the QUERY recorded as `seq` arrived at `timestamp` (µs).
    mutating func arrived(seq: UInt64, at timestamp: Int64) {
        slots[slot(seq)] = (seq, timestamp)
    }

    /// The arrival time of the QUERY `seq`, once: a second answer to it is not timed again.
    mutating func answered(seq: UInt64) -> Int64? {
        let index = slot(seq)
        guard slots[index].seq == seq, seq != 0 else { return nil }
        slots[index].seq = 0
        return slots[index].timestamp
    }

    private func slot(_ seq: UInt64) -> Int {
        Int(seq % UInt64(slots.count))
    }
}
