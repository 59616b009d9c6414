/// How many answers (RESPONSE and CHUNK_INFO datagrams) a peer sends to one IPv4 address: a token bucket per address.
///
/// UDP sources can be spoofed and a QUERY names the address its CHUNK_INFO goes to, so without a budget a few small
/// datagrams make a peer send many big ones to anyone (reflection). Like DNS response rate limiting, the budget
/// counts answers per destination, not requests per source. The table of tracked addresses is bounded: when it is
/// full, addresses whose bucket has refilled are forgotten (they are as good as new), and if none has, addresses
/// not in the table share one bucket until room is made.
///
/// Pure: the caller passes the time (monotonic nanoseconds), so tests drive it with a clock of their own.
package struct ResponseBudget: Sendable {
    /// `--response-rate-limit` when not given: answers per second to one address.
    package static let defaultRate = 2048
    /// Addresses tracked at most (about 3 MiB of table).
    package static let defaultTrackedAddresses = 65_536
    /// The largest rate accepted; more is no budget in practice.
    package static let maximumRate = 1_000_000

    /// Answers per second an address is given.
    package let rate: Int
    /// Answers an address may take at once after a quiet spell: twice the rate.
    package let burst: Int
    private let trackedAddresses: Int
    /// Nanoseconds an empty bucket takes to fill.
    private let refillNanoseconds: UInt64
    private var buckets: [UInt32: Bucket]
    /// Shared by addresses that found the table full.
    private var overflow: Bucket
    private var lastSweep: UInt64 = 0

    /// - Parameters:
    ///   - rate: answers per second to one address (at most `maximumRate`); `0` gives `nil`, no budget.
    ///   - trackedAddresses: the table's bound.
    package init?(rate: Int, trackedAddresses: Int = defaultTrackedAddresses) {
        guard rate > 0 else { return nil }
        self.rate = min(rate, Self.maximumRate)
        burst = 2 * self.rate
        self.trackedAddresses = max(trackedAddresses, 1)
        refillNanoseconds = 2_000_000_000
        buckets = [:]
        overflow = Bucket(answers: burst, updated: 0)
    }

    /// Whether `outgoing` may be sent now; if so, it is counted. Only RESPONSE and CHUNK_INFO are budgeted.
    package mutating func admit(_ outgoing: Outgoing, at now: UInt64) -> Bool {
        switch outgoing.message.type {
        case .response, .chunkInfo: admit(to: outgoing.destination.ip, at: now)
        case .hello, .query, .get: true
        }
    }

    /// Whether one more answer to `ip` fits in its budget now; if so, it is counted.
    package mutating func admit(to ip: UInt32, at now: UInt64) -> Bool {
        if let index = buckets.index(forKey: ip) {
            return buckets.values[index].take(at: now, rate: rate, burst: burst, refill: refillNanoseconds)
        }
        if buckets.count >= trackedAddresses { sweep(at: now) }
        guard buckets.count < trackedAddresses else {
            return overflow.take(at: now, rate: rate, burst: burst, refill: refillNanoseconds)
        }
        var bucket = Bucket(answers: burst, updated: now)
        let admitted = bucket.take(at: now, rate: rate, burst: burst, refill: refillNanoseconds)
        buckets[ip] = bucket
        return admitted
    }

    /// Addresses tracked now.
    package var trackedCount: Int { buckets.count }

    /// Forgets the addresses whose bucket is full again; at most once per refill time, since before that none can be.
    private mutating func sweep(at now: UInt64) {
        guard now &- lastSweep >= refillNanoseconds || lastSweep == 0 else { return }
        lastSweep = now
        let refill = refillNanoseconds
        buckets = buckets.filter { _, bucket in now &- bucket.updated < refill }
    }
}

extension ResponseBudget {
    /// One address's tokens as of `updated`, counted in billionths of an answer so that refilling is exact.
    struct Bucket: Sendable {
        static let answer: Int64 = 1_000_000_000
        var tokens: Int64
        var updated: UInt64

        init(answers: Int, updated: UInt64) {
            tokens = Int64(answers) * Self.answer
            self.updated = updated
        }

        /// Refills for the time since `updated`, then takes one answer if there is one.
        mutating func take(at now: UInt64, rate: Int, burst: Int, refill: UInt64) -> Bool {
            let full = Int64(burst) * Self.answer
            if now > updated {
                // Past the refill time the bucket is full anyway; the cap keeps the product far from overflow.
                let elapsed = Int64(min(now - updated, refill))
                tokens = min(full, tokens + elapsed * Int64(rate))
                updated = now
            }
            guard tokens >= Self.answer else { return false }
            tokens -= Self.answer
            return true
        }
    }
}
