import Testing

@testable import ChunkNodeNIO

struct SocketErrorStreakTests {
    @Test("a socket error that repeats is said once, retried ever more slowly up to 100 ms, and its end is said")
    func persistentError() {
        var streak = SocketErrorStreak()
        let failures = (0..<12).map { _ in streak.failed("Cannot allocate memory") }
        #expect(failures[0].report?.contains("Cannot allocate memory") == true)
        #expect(failures.dropFirst().allSatisfy { $0.report == nil })
        #expect(failures.prefix(8).map(\.pauseMilliseconds) == [1, 2, 4, 8, 16, 32, 64, 100])
        #expect(failures.suffix(4).allSatisfy { $0.pauseMilliseconds == 100 })
        #expect(streak.succeeded() == "socket reads again after 12 failed tries")
        #expect(streak.succeeded() == nil)
        // A new streak starts over: said again, quick retries again.
        #expect(streak.failed("Cannot allocate memory") == .init(report: failures[0].report, pauseMilliseconds: 1))
    }
}
