import Testing

@testable import NodeObservers

@Suite("Timing a QUERY to its CHUNK_INFO when sends are flushed after a burst")
struct QueryArrivalsTests {
    @Test("every QUERY of a burst is found by its seq when its answer is sent, once")
    func burst() {
        var arrivals = QueryArrivals(capacity: 16)
        for seq in UInt64(1)...8 { arrivals.arrived(seq: seq * 3, at: Int64(seq) * 10) }
        let answered = (UInt64(1)...8).map { arrivals.answered(seq: $0 * 3) }
        #expect(answered == (1...8).map { Int64($0) * 10 })
        #expect(arrivals.answered(seq: 3) == nil, "a second answer to one QUERY is not timed again")
        #expect(arrivals.answered(seq: 4) == nil, "no QUERY was recorded as seq 4")
    }

    @Test("an arrival overwritten by a later event in its slot is not timed, and memory stays fixed")
    func overwritten() {
        var arrivals = QueryArrivals(capacity: 4)
        arrivals.arrived(seq: 1, at: 100)
        arrivals.arrived(seq: 5, at: 500)
        #expect(arrivals.answered(seq: 1) == nil)
        #expect(arrivals.answered(seq: 5) == 500)
    }
}
