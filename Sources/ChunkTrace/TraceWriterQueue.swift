import Foundation

/// The state a segment writer shares between the threads that record events and its compression thread: the
/// pending encoded lines, the counters, and the flush and finish handshakes. Every field is guarded by `condition`.
final class TraceWriterQueue: @unchecked Sendable {
    /// What the compression thread takes in one go.
    struct Batch {
        var events: Int
        var finishing: Bool
        var flushTicket: UInt64
    }

    /// What the compression thread did with one batch, merged into the counters.
    struct Outcome {
        var events: UInt64 = 0
        var bytesWritten: UInt64 = 0
        var rotations: UInt64 = 0
        var writeErrors: UInt64 = 0
        var droppedEvents: UInt64 = 0
        var flushes: UInt64 = 0
    }

    private let condition = NSCondition()
    private let maxQueueBytes: Int
    private let wakeBytes: Int
    private let clock: any TraceWriterClock
    private var pending: [UInt8] = []
    private var pendingEvents = 0
    private var accepting = true
    private var finishing = false
    private var finished = false
    private var flushRequested: UInt64 = 0
    private var flushCompleted: UInt64 = 0
    private var counters = TraceWriterStatistics()
    private var timestamps = TraceTimestampCache()

    init(maxQueueBytes: Int, clock: any TraceWriterClock) {
        self.maxQueueBytes = maxQueueBytes
        self.clock = clock
        wakeBytes = min(1 << 20, maxQueueBytes / 4)
        pending.reserveCapacity(64 * 1024)
    }

    func append(_ event: TraceEvent) {
        condition.lock()
        defer { condition.unlock() }
        guard accepting else { return }
        guard pending.count < maxQueueBytes else {
            counters.droppedEvents += 1
            return
        }
        let before = pending.count
        TraceLineEncoder.append(event, to: &pending, timestamps: &timestamps)
        pendingEvents += 1
        counters.queueBytes = UInt64(pending.count)
        if before < wakeBytes && pending.count >= wakeBytes { condition.signal() }
    }

    func append(_ message: TraceMessageEvent, prefix: TraceLinePrefix, seq: UInt64, timestamp: Int64) {
        condition.lock()
        defer { condition.unlock() }
        guard accepting else { return }
        guard pending.count < maxQueueBytes else {
            counters.droppedEvents += 1
            return
        }
        let before = pending.count
        TraceLineEncoder.append(
            message, prefix: prefix, seq: seq, timestamp: timestamp, to: &pending, timestamps: &timestamps)
        pendingEvents += 1
        counters.queueBytes = UInt64(pending.count)
        if before < wakeBytes && pending.count >= wakeBytes { condition.signal() }
    }

    /// Takes all the lines of `batch` under one lock, or drops and counts them all if the queue is full.
    func append(_ batch: TraceLineBatch) {
        condition.lock()
        defer { condition.unlock() }
        guard accepting else { return }
        guard pending.count < maxQueueBytes else {
            counters.droppedEvents += UInt64(batch.events)
            return
        }
        let before = pending.count
        batch.withBytes { pending.append(contentsOf: $0) }
        pendingEvents += batch.events
        counters.queueBytes = UInt64(pending.count)
        if before < wakeBytes && pending.count >= wakeBytes { condition.signal() }
    }

    var statistics: TraceWriterStatistics {
        condition.lock()
        defer { condition.unlock() }
        return counters
    }

    /// Waits until `deadline` (seconds on the writer's clock), a large backlog, a flush request or finishing, then swaps the
    /// pending bytes into `buffer` (which must be empty). Waiting for the deadline rather than for the first event
    /// hands the compressor whole batches, so a busy node pays for one lock round and one deflate call per batch
    /// instead of per event.
    func take(into buffer: inout [UInt8], deadline: Double) -> Batch {
        condition.lock()
        defer { condition.unlock() }
        while pending.count < wakeBytes && !finishing && flushRequested == flushCompleted {
            if clock.now() >= deadline { break }
            clock.wait(on: condition, until: deadline)
        }
        swap(&buffer, &pending)
        let batch = Batch(events: pendingEvents, finishing: finishing, flushTicket: flushRequested)
        pendingEvents = 0
        counters.queueBytes = 0
        return batch
    }

    /// Merges what the compression thread did and releases the callers waiting for the flush it completed.
    func complete(_ outcome: Outcome, flushTicket: UInt64, finished isFinished: Bool) {
        condition.lock()
        defer { condition.unlock() }
        counters.events += outcome.events
        counters.bytesWritten += outcome.bytesWritten
        counters.rotations += outcome.rotations
        counters.writeErrors += outcome.writeErrors
        counters.droppedEvents += outcome.droppedEvents
        counters.flushes += outcome.flushes
        flushCompleted = max(flushCompleted, flushTicket)
        if isFinished { finished = true }
        condition.broadcast()
    }

    func flushAndWait() {
        condition.lock()
        defer { condition.unlock() }
        guard !finished else { return }
        flushRequested += 1
        let ticket = flushRequested
        condition.broadcast()
        while flushCompleted < ticket && !finished { condition.wait() }
    }

    func finishAndWait() {
        condition.lock()
        defer { condition.unlock() }
        accepting = false
        finishing = true
        condition.broadcast()
        while !finished { condition.wait() }
    }
}
