import ChunkNode
import NIOCore
import Synchronization
import Testing

private let second: UInt64 = 1_000_000_000
private let victim = NodeAddress(ip: 0x0A00_0006, port: 40000)

private func response(to destination: NodeAddress = victim) -> Outgoing {
    Outgoing(.response(chunk: 1, payload: ByteBuffer(string: "one")), to: destination)
}

/// How many of `count` answers to `destination` the budget lets through at `now`.
private func admitted(
    _ count: Int, to destination: NodeAddress = victim, by budget: inout ResponseBudget, at now: UInt64
)
    -> Int
{
    (0..<count).filter { _ in budget.admit(response(to: destination), at: now) }.count
}

struct ResponseBudgetTests {
    @Test("by default an address gets a burst of 4096 answers, then 2048 a second")
    func burstThenRate() throws {
        var budget = try #require(ResponseBudget(rate: ResponseBudget.defaultRate))
        let start = 5 * second
        #expect(admitted(5000, by: &budget, at: start) == 4096)
        #expect(admitted(5000, by: &budget, at: start + second / 2) == 1024)
        #expect(admitted(5000, by: &budget, at: start + second / 2 + second) == 2048)
        // A quiet spell refills the bucket to the burst, no further.
        #expect(admitted(10_000, by: &budget, at: start + 60 * second) == 4096)
    }

    @Test("each address has its own budget; a port does not make a new one")
    func perAddress() throws {
        var budget = try #require(ResponseBudget(rate: 10))
        #expect(admitted(100, by: &budget, at: second) == 20)
        #expect(admitted(100, to: NodeAddress(ip: victim.ip, port: 1), by: &budget, at: second) == 0)
        #expect(admitted(100, to: NodeAddress(ip: victim.ip + 1, port: 40000), by: &budget, at: second) == 20)
    }

    @Test("only RESPONSE and CHUNK_INFO are budgeted; QUERY, GET and HELLO always pass")
    func onlyAnswersCount() throws {
        var budget = try #require(ResponseBudget(rate: 1))
        let messages: [ChunkMessage] = [
            .chunkInfo(chunks: [1]), .response(chunk: 1, payload: ByteBuffer()), .chunkInfo(chunks: [1]),
            .query(client: victim, ttl: 3, chunks: [1]), .get(chunks: [1]), .hello(chunks: [1]),
        ]
        let admitted = messages.map { budget.admit(Outgoing($0, to: victim), at: second) }
        #expect(admitted == [true, true, false, true, true, true])
    }

    @Test("a rate of 0 is no budget")
    func zeroIsOff() {
        #expect(ResponseBudget(rate: 0) == nil)
        #expect(ResponseLimiter(rate: 0) == nil)
    }

    @Test("the address table is bounded: when full, refilled addresses are forgotten, else newcomers share a bucket")
    func boundedTable() throws {
        var budget = try #require(ResponseBudget(rate: 10, trackedAddresses: 4))
        let addresses = (1...6).map { NodeAddress(ip: 0x0A00_0100 + UInt32($0), port: 1) }
        for address in addresses.prefix(4) { #expect(admitted(1, to: address, by: &budget, at: second) == 1) }
        #expect(budget.trackedCount == 4)
        // Table full: addresses 5 and 6 share one bucket of 20.
        #expect(admitted(15, to: addresses[4], by: &budget, at: second) == 15)
        #expect(admitted(15, to: addresses[5], by: &budget, at: second) == 5)
        #expect(budget.trackedCount == 4)
        // Two seconds on, every tracked bucket is full again: they are forgotten and a newcomer gets its own.
        #expect(admitted(30, to: addresses[5], by: &budget, at: 3 * second) == 20)
        #expect(budget.trackedCount == 1)
    }
}

struct TraceLineBudgetTests {
    @Test("at most so many lines a second; the next traced line reports how many were left out")
    func linesPerSecond() {
        var lines = TraceLineBudget(linesPerSecond: 200)
        let traced = (0..<1000).compactMap { _ in lines.admit(at: second) }
        #expect(traced == Array(repeating: 0, count: 200))
        #expect(lines.admit(at: second + second / 2) == nil)
        #expect(lines.admit(at: 2 * second) == 801)
        #expect(lines.admit(at: 2 * second) == 0)
    }
}

struct ResponseLimiterTests {
    @Test("every refusal is counted; a flood of them is traced as a few hundred lines a second, then a count")
    func refusalsCountedAndTracedWithinBudget() throws {
        let observer = RecordingObserver()
        let recorder = NodeEventRecorder(observers: [observer])
        var limiter = try #require(ResponseLimiter(rate: 10))
        let sent = (0..<10_000).filter { _ in limiter.admit(response(), cause: 7, at: second, recorder: recorder) }
        #expect(sent.count == 20)
        #expect(observer.facts == 9_980)
        #expect(observer.events == ["rate limited": 200])
        _ = limiter.admit(response(), cause: 8, at: 3 * second, recorder: recorder)
        #expect(observer.events == ["rate limited": 200])
        let later = (0..<30).filter { _ in limiter.admit(response(), cause: 9, at: 3 * second, recorder: recorder) }
        #expect(later.count == 19)
        #expect(observer.events == ["rate limited": 211, "9780 not traced": 1])
    }
}

/// Counts `rateLimited` facts and events.
private final class RecordingObserver: NodeObserver, Sendable {
    private let state = Mutex<(facts: Int, events: [String: Int])>((0, [:]))

    var facts: Int { state.withLock { $0.facts } }
    var events: [String: Int] { state.withLock { $0.events } }

    func observe(_ event: NodeEvent, seq: UInt64, timestamp: Int64) {
        let key =
            switch event {
            case .rateLimited(_, let destination, let cause):
                destination == victim && cause != nil ? "rate limited" : "?"
            case .rateLimitedUntraced(let count): "\(count) not traced"
            default: "other"
            }
        state.withLock { $0.events[key, default: 0] += 1 }
    }

    func observe(_ fact: NodeFact) {
        if case .rateLimited = fact { state.withLock { $0.facts += 1 } }
    }
}
