import Foundation

/// Runs blocking work (a tool run to its end, a wait on a socket) on a thread of its own and suspends the caller
/// until it is done.
///
/// Swift Testing runs every test on the cooperative pool, which has one thread per core: two on our machines. A test
/// that blocks one of them for seconds (a 30 s scenario, a receive with a timeout) holds back every other test and
/// every async helper meanwhile; a CI run once starved a test for over a minute that way. Work that waits on the
/// outside world goes through here instead.
///
/// Work that cannot throw needs no `try`: its `Failure` is `Never`.
package func offPool<Value: Sendable, Failure: Error>(_ work: @escaping @Sendable () throws(Failure) -> Value)
    async throws(Failure) -> Value
{
    let result: Result<Value, Failure> = await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: Result { () throws(Failure) in try work() }) }
        thread.name = "test-blocking-wait"
        thread.start()
    }
    return try result.get()
}
