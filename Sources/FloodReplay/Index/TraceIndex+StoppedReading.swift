extension TraceIndex {
    /// Whether stream `stream` ended cleanly (`stop`, or a client's `done`) at most `maxLatency` after `time` and
    /// received nothing from `time` on: a datagram sent to it at `time` may have arrived after it stopped reading
    /// (a client that already had every chunk), so its missing receive is no loss.
    func stoppedReading(_ stream: Int, after time: Int64) -> Bool {
        let trace = streams[stream]
        guard trace.stopped, trace.lastTimestamp >= time, trace.lastTimestamp - time <= maxLatency else { return false }
        for e in trace.events.reversed() {
            let event = events[Int(e)]
            if event.timestamp < time - clockSkew { break }
            if event.kind == .recv, event.timestamp >= time { return false }
        }
        return true
    }
}
