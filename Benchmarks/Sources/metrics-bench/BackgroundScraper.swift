import Foundation
import Synchronization

/// Scrapes `/metrics` on its own thread every `interval` seconds (0: back to back) until stopped.
final class BackgroundScraper: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let done = Atomic<Int>(0)
    private let finished = DispatchSemaphore(value: 0)

    init(port: Int, interval: Double) {
        let thread = Thread { [self] in
            defer { finished.signal() }
            guard let scraper = Scraper(port: port, gzip: true) else { return }
            var next = BlockingSocket.monotonicSeconds()
            while !stopped.load(ordering: .relaxed) {
                if scraper.scrape() != nil { done.add(1, ordering: .relaxed) }
                next += interval
                let wait = next - BlockingSocket.monotonicSeconds()
                if wait > 0 { usleep(UInt32(wait * 1e6)) }
            }
        }
        thread.start()
    }

    /// Stops and returns how many scrapes succeeded.
    func stop() -> Int {
        stopped.store(true, ordering: .relaxed)
        finished.wait()
        return done.load(ordering: .relaxed)
    }
}
