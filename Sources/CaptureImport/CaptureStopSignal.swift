import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

private let stopRequested = Atomic<Bool>(false)

/// SIGINT and SIGTERM ask a live capture to stop: the handler only sets a flag, which the capture loop reads
/// between packets and on every read timeout (100 ms), so the segments are then finished cleanly.
package enum CaptureStopSignal {
    /// Installs the handlers for SIGINT and SIGTERM.
    package static func install() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { _ in stopRequested.store(true, ordering: .relaxed) }
        }
    }

    /// Whether SIGINT or SIGTERM arrived since `install()`.
    package static var isRequested: Bool { stopRequested.load(ordering: .relaxed) }
}
