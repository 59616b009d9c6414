/// What the peer's socket thread does about read errors that repeat: say the first one of a streak, wait a little
/// longer before each next read (1 ms, doubling, at most 100 ms, so a stop still ends the thread promptly), and say
/// when reading works again. A socket that keeps failing so costs at most ten reads and no log line a second, where
/// retrying at once would spin a core and fill standard error.
struct SocketErrorStreak {
    /// How a failed read is handled.
    struct Failure: Equatable {
        /// The message to log, for the first failure of a streak only.
        var report: String?
        /// How long to wait before the next read, in milliseconds.
        var pauseMilliseconds: Int
    }

    static let firstPauseMilliseconds = 1
    static let longestPauseMilliseconds = 100

    private var failures = 0
    private var pause = Self.firstPauseMilliseconds

    /// A read failed with `reason` (`errno`'s text).
    mutating func failed(_ reason: String) -> Failure {
        failures += 1
        let current = pause
        pause = min(pause * 2, Self.longestPauseMilliseconds)
        let report =
            failures == 1
            ? "socket error: \(reason); the peer keeps serving and retries, waiting up to "
                + "\(Self.longestPauseMilliseconds) ms between tries" : nil
        return Failure(report: report, pauseMilliseconds: current)
    }

    /// A read succeeded (or found nothing to read); returns the message to log when it ends a streak.
    mutating func succeeded() -> String? {
        guard failures > 0 else { return nil }
        defer {
            failures = 0
            pause = Self.firstPauseMilliseconds
        }
        return "socket reads again after \(failures) failed \(failures == 1 ? "try" : "tries")"
    }
}
