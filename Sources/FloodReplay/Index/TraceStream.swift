import ChunkTrace

/// The events of one node in one run, ordered by `seq`.
struct TraceStream: Sendable {
    var node: Int32
    var run: Int32
    var role: TraceRole
    /// Indices into `TraceIndex.events`, sorted by `seq` once the index is finished.
    var events: [Int32] = []
    var firstTimestamp: Int64 = .max
    var lastTimestamp: Int64 = .min
    /// From the `start` event, when present.
    var neighbors: [Int32] = []
    var held: [UInt16] = []
    var contact: Int32 = -1
    var software: String?
    var started = false
    var stopped = false
    /// Session this stream belongs to, set when the index is finished.
    var session = 0

    /// Whether the node was up at `time`, judged from its trace: between its first and last event, with
    /// `slack` microseconds either side.
    func covers(_ time: Int64, slack: Int64) -> Bool {
        time >= firstTimestamp - slack && time <= lastTimestamp + slack
    }
}
