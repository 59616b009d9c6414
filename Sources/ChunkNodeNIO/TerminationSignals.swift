import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGINT and SIGTERM, turned from process-killing signals into something a node can wait for.
package enum TerminationSignals {
    /// Stops the default action of SIGINT and SIGTERM and waits for one of them.
    ///
    /// - Returns: the signal's name, `SIGINT` or `SIGTERM`.
    package static func wait() async -> String {
        let watch = SignalWatch()
        return await withCheckedContinuation { continuation in
            watch.sources = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")].map { number, name in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: watch.queue)
                source.setEventHandler {
                    if watch.claim() { continuation.resume(returning: name) }
                }
                return source
            }
            watch.sources.forEach { $0.resume() }
        }
    }
}

/// Keeps the signal sources alive and lets only the first signal through.
private final class SignalWatch: @unchecked Sendable {
    let queue = DispatchQueue(label: "termination-signals")
    /// Set once, before any source is resumed.
    var sources = [any DispatchSourceSignal]()
    private let fired = Atomic<Bool>(false)

    func claim() -> Bool {
        fired.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged
    }
}
