import Plurals
import Testing

@Suite("counted: a count with its noun in the right number")
struct CountedTests {
    @Test(
        "one is singular, zero and many are plural",
        arguments: [
            (1, "duplicate", "1 duplicate"), (0, "duplicate", "0 duplicates"), (2, "duplicate", "2 duplicates"),
            (1, "query", "1 query"), (3, "query", "3 queries"), (5, "day", "5 days"),
            (2, "match", "2 matches"), (4, "box", "4 boxes"), (7, "neighbour", "7 neighbours"),
        ]
    )
    func regular(count: Int, noun: String, expected: String) {
        #expect(counted(count, noun) == expected)
    }

    @Test("an explicit plural wins; any integer type")
    func irregular() {
        #expect(counted(2, "child", plural: "children") == "2 children")
        #expect(counted(1, "child", plural: "children") == "1 child")
        #expect(counted(UInt16(1), "chunk") == "1 chunk")
    }
}
