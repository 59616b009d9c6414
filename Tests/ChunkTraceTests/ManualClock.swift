import Foundation

@testable import ChunkTrace

/// A `TraceWriterClock` that moves only when the test says so.
///
/// `advance(by:)` wakes the writer thread waiting on the clock and returns once it has done what the new time
/// calls for and waits again, so a test checks the files right after, without sleeping.
final class ManualClock: TraceWriterClock, @unchecked Sendable {
    private let state = NSCondition()
    private var seconds = 1000.0
    private var waiting: [NSCondition] = []
    /// Times a writer thread went back to waiting.
    private var sleeps = 0

    func now() -> Double {
        state.lock()
        defer { state.unlock() }
        return seconds
    }

    func wallClockMicroseconds() -> Int64 {
        1_795_000_000_000_000 + Int64(now() * 1e6)
    }

    func wait(on condition: NSCondition, until deadline: Double) {
        state.lock()
        if !waiting.contains(where: { $0 === condition }) { waiting.append(condition) }
        let due = seconds >= deadline
        if !due {
            sleeps += 1
            state.broadcast()
        }
        state.unlock()
        if !due { condition.wait() }
    }

    /// Moves the clock forward and waits until the writer thread has handled the new time and waits again.
    func advance(by interval: Double) {
        state.lock()
        let before = sleeps
        seconds += interval
        let conditions = waiting
        state.unlock()
        for condition in conditions {
            condition.lock()
            condition.broadcast()
            condition.unlock()
        }
        state.lock()
        while sleeps == before { state.wait() }
        state.unlock()
    }
}
