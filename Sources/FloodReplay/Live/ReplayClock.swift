#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The wall clock live trace sets are judged by (`replay --follow`, open segments), and the pause between reads.
package enum ReplayClock {
    /// Microseconds since the Unix epoch.
    package static func micros() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
    }

    package static func pause(seconds: UInt32) {
        sleep(seconds)
    }
}
