import ChunkProtocol

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One generator thread: keeps up to `window` requests outstanding on each of its sockets and counts the answers.
final class LoadWorker: @unchecked Sendable {
    struct Plan {
        var chunk: ChunkID
        var window: Int
        /// Requests this worker sends at most.
        var budget: Int
        /// Monotonic nanoseconds at which sending stops (the end of the measuring window).
        var sendUntil: UInt64
        /// How long to wait for the last answers after sending stopped.
        var drainNanos: UInt64
        /// A socket with requests outstanding and no answer for this long gives them up as lost.
        var stallNanos: UInt64
    }

    private let sockets: [LoadSocket]
    private let requests: [[[UInt8]]]
    private let plan: Plan
    private(set) var counts = LoadCounts()

    init(sockets: [LoadSocket], requests: [[[UInt8]]], plan: Plan) {
        self.sockets = sockets
        self.requests = requests
        self.plan = plan
    }

    func run(startedAt start: UInt64) {
        var outstanding = [Int](repeating: 0, count: sockets.count)
        var next = [Int](repeating: 0, count: sockets.count)
        var lastProgress = [UInt64](repeating: start, count: sockets.count)
        var pollSet = sockets.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 8)
        defer { buffer.deallocate() }
        var sending = true
        var drainUntil = UInt64.max

        while true {
            let now = Self.monotonicNanos()
            if sending && (now >= plan.sendUntil || counts.sent >= plan.budget) {
                sending = false
                drainUntil = now + plan.drainNanos
            }
            if !sending && (now >= drainUntil || outstanding.allSatisfy({ $0 == 0 })) { break }

            var received = false
            for index in sockets.indices {
                while let length = sockets[index].receive(into: buffer) {
                    received = true
                    if outstanding[index] > 0 { outstanding[index] -= 1 }
                    lastProgress[index] = now
                    if isAnswer(UnsafeRawBufferPointer(rebasing: buffer[0..<length])) {
                        counts.answers += 1
                        if sending { counts.answersInWindow += 1 }
                        counts.lastAnswerNanos = now - start
                    } else {
                        counts.invalid += 1
                    }
                }
                if outstanding[index] > 0 && now - lastProgress[index] > plan.stallNanos {
                    counts.stalls += 1
                    outstanding[index] = 0
                    lastProgress[index] = now
                }
                guard sending else { continue }
                let cycle = requests[index]
                while outstanding[index] < plan.window && counts.sent < plan.budget {
                    guard sockets[index].transmit(cycle[next[index]]) else { break }
                    if outstanding[index] == 0 { lastProgress[index] = now }
                    next[index] = (next[index] + 1) % cycle.count
                    outstanding[index] += 1
                    counts.sent += 1
                }
            }
            if !received { _ = poll(&pollSet, nfds_t(pollSet.count), 1) }
        }
    }

    /// A RESPONSE or CHUNK_INFO whose fields are consistent with its length and that carries the asked chunk.
    private func isAnswer(_ datagram: UnsafeRawBufferPointer) -> Bool {
        guard datagram.count >= 4 else { return false }
        let type = Self.field(datagram, 0)
        switch type {
        case MessageType.response.rawValue:
            return datagram.count >= 6 && Self.field(datagram, 1) == plan.chunk
                && Int(Self.field(datagram, 2)) + 6 == datagram.count
        case MessageType.chunkInfo.rawValue:
            let count = Int(Self.field(datagram, 1))
            guard 4 + 2 * count == datagram.count else { return false }
            return (0..<count).contains { Self.field(datagram, 2 + $0) == plan.chunk }
        default:
            return false
        }
    }

    private static func field(_ datagram: UnsafeRawBufferPointer, _ index: Int) -> UInt16 {
        UInt16(datagram[2 * index]) << 8 | UInt16(datagram[2 * index + 1])
    }

    static func monotonicNanos() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
