import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The clocks a `TraceSegmentWriter` reads and waits on: flush timing and rotation by age use `now()`, segment
/// names the wall clock. A seam (beside `SegmentFileSystem`) so tests drive time by hand instead of sleeping.
protocol TraceWriterClock: Sendable {
    /// Seconds on a monotonic clock.
    func now() -> Double
    /// Microseconds since 1970 (UTC), for segment names.
    func wallClockMicroseconds() -> Int64
    /// Waits on `condition`, which the caller holds locked, until it is signalled or `now()` reaches `deadline`.
    /// May return early; callers re-check what they wait for.
    func wait(on condition: NSCondition, until deadline: Double)
}

/// The real clocks: `CLOCK_MONOTONIC` and `CLOCK_REALTIME`.
struct SystemTraceWriterClock: TraceWriterClock {
    func now() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    func wallClockMicroseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
    }

    func wait(on condition: NSCondition, until deadline: Double) {
        let remaining = deadline - now()
        guard remaining > 0 else { return }
        _ = condition.wait(until: Date(timeIntervalSinceNow: remaining))
    }
}
