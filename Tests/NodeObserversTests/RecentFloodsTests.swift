import ChunkNode
import Testing

@testable import NodeObservers

@Suite("Telling a duplicate QUERY from a new flood")
struct RecentFloodsTests {
    static let client = NodeAddress(ip: 0x0A00_0006, port: 40000)

    @Test("the same client and chunks within the window repeat a flood; later, or with other chunks, they do not")
    func window() {
        var recent = RecentFloods(window: 500_000)
        let otherPort = NodeAddress(ip: Self.client.ip, port: 40001)
        let seen = [
            recent.see(client: Self.client, chunks: [1, 3], at: 1_000_000),
            recent.see(client: Self.client, chunks: [1, 3], at: 1_400_000),
            recent.see(client: Self.client, chunks: [3, 1], at: 1_450_000),
            recent.see(client: otherPort, chunks: [1, 3], at: 1_460_000),
            recent.see(client: Self.client, chunks: [1, 3], at: 2_500_000),
            recent.see(client: Self.client, chunks: [1, 3], at: 2_700_000),
        ]
        // new; repeat within 0.5 s; another chunk list; another client; a HELLO re-sent a second later; its repeat
        #expect(seen == [false, true, false, false, false, true])
    }

    @Test("memory stays bounded under a stream of distinct floods, and recent ones are still recognised")
    func bounded() {
        var recent = RecentFloods(window: 500_000, capacity: 64)
        for index in 0..<10_000 {
            let client = NodeAddress(ip: Self.client.ip, port: UInt16(index))
            let repeated = recent.see(client: client, chunks: [1], at: Int64(index))
            #expect(!repeated && recent.remembered <= 128)
        }
        let last = NodeAddress(ip: Self.client.ip, port: 9_999)
        let repeated = recent.see(client: last, chunks: [1], at: 10_000)
        #expect(repeated, "the newest flood is still remembered")
    }

    @Test("a configured neighbour is found by its address, anyone else is not, with few or many neighbours")
    func neighborIndex() {
        for count in [3, 40] {
            let neighbors = (0..<count).map { NodeAddress(ip: 0x0A00_0100 + UInt32($0), port: 5000) }
            let index = NeighborIndex(neighbors)
            #expect(neighbors.indices.allSatisfy { index(neighbors[$0]) == $0 })
            #expect(index(NodeAddress(ip: 0x0A00_0100, port: 5001)) == nil, "same ip, other port")
            #expect(index(Self.client) == nil)
        }
    }
}
