/// At most so many trace lines of one kind per second; the rest are counted, and the count is reported with the next
/// line that is traced, so an attack that makes a peer refuse datagrams cannot fill the disk with their lines.
///
/// Pure: the caller passes the time (monotonic nanoseconds).
package struct TraceLineBudget: Sendable {
    /// Lines of rate-limited drops traced per second at most.
    package static let defaultLinesPerSecond = 200

    package let linesPerSecond: Int
    private var windowStart: UInt64?
    private var used = 0
    private var untraced = 0

    package init(linesPerSecond: Int = defaultLinesPerSecond) {
        self.linesPerSecond = max(linesPerSecond, 1)
    }

    /// Whether to trace one more line now.
    ///
    /// - Returns: `nil` when the line is not to be traced (it is counted); else how many lines were left untraced
    ///   since the last traced one, for the caller to report before this line.
    package mutating func admit(at now: UInt64) -> Int? {
        if let start = windowStart, now &- start < 1_000_000_000 {
            guard used < linesPerSecond else {
                untraced += 1
                return nil
            }
        } else {
            windowStart = now
            used = 0
        }
        used += 1
        defer { untraced = 0 }
        return untraced
    }
}
