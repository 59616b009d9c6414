import ChunkNode
import Foundation
import Logging
import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A peer's socket, read on a thread of its own: each burst of datagrams goes through the `PeerDriver`, and the
/// answers of the burst leave together (`sendmmsg`) after it.
///
/// The thread waits in `recvmmsg`; `stop()` wakes it by shutting the socket down for reading. The driver, and so its
/// recorder and observers, is used on that thread only while it runs.
final class PeerSocketThread: @unchecked Sendable {
    private struct Ending {
        var finished = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let descriptor: CInt
    private let logger: Logger
    /// Taken by the thread when it starts; never touched from elsewhere.
    private var pending: PeerDriver?
    private let stopping = Atomic<Bool>(false)
    private let ending = Mutex(Ending())

    /// Starts serving the bound socket `descriptor` (blocking, owned from now on) with `driver` on a new thread.
    ///
    /// - Parameter logger: where socket errors are reported.
    static func start(descriptor: CInt, driver: PeerDriver, name: String, logger: Logger) -> PeerSocketThread {
        let socket = PeerSocketThread(descriptor: descriptor, driver: driver, logger: logger)
        let thread = Thread { socket.run() }
        thread.name = name
        thread.start()
        return socket
    }

    private init(descriptor: CInt, driver: PeerDriver, logger: Logger) {
        self.descriptor = descriptor
        pending = driver
        self.logger = logger
    }

    /// Asks the thread to end after the burst it handles; it closes the socket as it ends.
    ///
    /// - Returns: whether this was the first call (the later ones do nothing).
    @discardableResult
    func stop() -> Bool {
        guard !stopping.exchange(true, ordering: .sequentiallyConsistent) else { return false }
        // Wakes a thread waiting for datagrams (Linux reports ENOTCONN for an unconnected socket, but wakes it).
        shutdown(descriptor, Int32(SHUT_RD))
        return true
    }

    /// Returns once the thread has ended and the socket is closed.
    func waitUntilFinished() async {
        await withCheckedContinuation { continuation in
            let finished = ending.withLock { ending in
                if !ending.finished { ending.waiters.append(continuation) }
                return ending.finished
            }
            if finished { continuation.resume() }
        }
    }

    private func run() {
        guard var driver = pending.take() else { return }
        let recorder = driver.recorder
        let sender = SocketDatagramSender(descriptor: descriptor)
        var receiver = BurstReceiver(descriptor: descriptor)
        var errors = SocketErrorStreak()
        while !stopping.load(ordering: .sequentiallyConsistent) {
            // One clock reading per datagram times its handling: the end of one is the start of the next.
            var handledSince: NIODeadline?
            recorder.beginBurst()
            let outcome = receiver.receiveBurst { datagram, source in
                let started = recorder.takesFacts ? handledSince ?? NIODeadline.now() : nil
                let step = driver.receive(
                    datagram, from: source, at: NIODeadline.now().uptimeNanoseconds, sendingWith: sender)
                guard let started else { return }
                let ended = NIODeadline.now()
                handledSince = ended
                if case .received(let message, _, _) = step {
                    recorder.note(.handled(message.type, seconds: Double((ended - started).nanoseconds) / 1e9))
                }
            }
            driver.flush(sendingWith: sender)
            recorder.endBurst()
            // A UDP socket may report an error such as ENOMEM; the peer keeps serving.
            if case .failed(let reason) = outcome {
                let failure = errors.failed(reason)
                if let report = failure.report { logger.warning("\(report)") }
                usleep(useconds_t(failure.pauseMilliseconds * 1000))
            } else if let recovered = errors.succeeded() {
                logger.notice("\(recovered)")
            }
        }
        close(descriptor)
        let waiters = ending.withLock { ending in
            ending.finished = true
            return ending.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
