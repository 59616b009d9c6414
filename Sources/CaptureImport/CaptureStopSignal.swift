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
        var signals = sigset_t()
        sigemptyset(&signals)
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { _ in stopRequested.store(true, ordering: .relaxed) }
            sigaddset(&signals, signalNumber)
        }
        // A parent may have started us with these blocked (the mask is inherited across exec): unblock them, or
        // the capture could only be killed, leaving its segments cut off.
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    /// Whether SIGINT or SIGTERM arrived since `install()`.
    package static var isRequested: Bool { stopRequested.load(ordering: .relaxed) }
}
