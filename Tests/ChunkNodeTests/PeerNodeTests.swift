import ChunkNode
import NIOCore
import Testing

private func address(_ n: UInt32) -> NodeAddress { NodeAddress(ip: 0x0A00_0000 + n, port: UInt16(5000 + n)) }

struct PeerNodeTests {
    let client = NodeAddress(ip: 0x0A00_0006, port: 40000)
    let peer = PeerNode(
        address: address(3), neighbors: [address(1), address(5)],
        store: ChunkStore(payloads: [3: ByteBuffer(string: "three"), 6: ByteBuffer(string: "six")]))

    @Test("a HELLO is answered with the held chunks and flooded to every neighbour with ttl 3")
    func helloFloods() {
        let reaction = peer.receive(.hello(chunks: [1, 3, 4, 6]), from: client)
        #expect(
            reaction.sends == [
                Outgoing(.chunkInfo(chunks: [3, 6]), to: client),
                Outgoing(.query(client: client, ttl: 3, chunks: [1, 3, 4, 6]), to: address(1)),
                Outgoing(.query(client: client, ttl: 3, chunks: [1, 3, 4, 6]), to: address(5)),
            ])
        #expect(reaction.outcome == .flooded)
    }

    @Test("a peer given another query ttl floods its HELLOs with it and forwards others' queries unchanged")
    func queryTTLIsTheFloodersOwn() {
        let peer = PeerNode(address: address(3), neighbors: [address(1), address(5)], store: ChunkStore(), queryTTL: 6)
        #expect(
            peer.receive(.hello(chunks: [9]), from: client).sends == [
                Outgoing(.query(client: client, ttl: 6, chunks: [9]), to: address(1)),
                Outgoing(.query(client: client, ttl: 6, chunks: [9]), to: address(5)),
            ])
        #expect(
            peer.receive(.query(client: client, ttl: 2, chunks: [9]), from: address(5)).sends == [
                Outgoing(.query(client: client, ttl: 1, chunks: [9]), to: address(1))
            ])
    }

    @Test("a HELLO for chunks not held sends no CHUNK_INFO but still floods")
    func helloWithoutHeldChunks() {
        let reaction = peer.receive(.hello(chunks: [9]), from: client)
        #expect(reaction.sends.map(\.message.type) == [.query, .query])
    }

    @Test("a QUERY is answered to the client it carries and forwarded with ttl-1 to all but the sender")
    func queryForwards() {
        let reaction = peer.receive(.query(client: client, ttl: 3, chunks: [3, 4]), from: address(5))
        #expect(
            reaction.sends == [
                Outgoing(.chunkInfo(chunks: [3]), to: client),
                Outgoing(.query(client: client, ttl: 2, chunks: [3, 4]), to: address(1)),
            ])
        #expect(reaction.outcome == .queryForwarded)
    }

    @Test("a QUERY with ttl 1 or 0 is answered but not forwarded, without wrap-around", arguments: [UInt16(1), 0])
    func queryExpires(ttl: UInt16) {
        let reaction = peer.receive(.query(client: client, ttl: ttl, chunks: [6]), from: address(5))
        #expect(reaction.sends == [Outgoing(.chunkInfo(chunks: [6]), to: client)])
        #expect(reaction.outcome == .queryExpired)
    }

    @Test("a GET is answered with one RESPONSE per held chunk in GET order; unknown ids are ignored")
    func getServes() {
        let reaction = peer.receive(.get(chunks: [6, 4, 3]), from: client)
        #expect(
            reaction.sends == [
                Outgoing(.response(chunk: 6, payload: ByteBuffer(string: "six")), to: client),
                Outgoing(.response(chunk: 3, payload: ByteBuffer(string: "three")), to: client),
            ])
        #expect(reaction.outcome == .served(unknownChunks: 1))
    }

    @Test("an id repeated inside one GET is answered once")
    func getRepeatsAnsweredOnce() {
        let reaction = peer.receive(.get(chunks: Array(repeating: 3, count: 700) + [9, 9, 6, 3]), from: client)
        #expect(
            reaction.sends == [
                Outgoing(.response(chunk: 3, payload: ByteBuffer(string: "three")), to: client),
                Outgoing(.response(chunk: 6, payload: ByteBuffer(string: "six")), to: client),
            ])
        #expect(reaction.outcome == .served(unknownChunks: 1))
    }

    @Test("a QUERY above --max-ttl is handled as if it carried the maximum, and says so")
    func queryTTLClamped() {
        let reaction = peer.receive(.query(client: client, ttl: 65535, chunks: [3]), from: address(5))
        #expect(
            reaction.sends == [
                Outgoing(.chunkInfo(chunks: [3]), to: client),
                Outgoing(.query(client: client, ttl: 2, chunks: [3]), to: address(1)),
            ])
        #expect(reaction.ttlClampedTo == 3)
        #expect(peer.receive(.query(client: client, ttl: 3, chunks: [3]), from: address(5)).ttlClampedTo == nil)
        let raised = PeerNode(address: address(3), neighbors: [address(1)], store: ChunkStore(), maxTTL: 10)
        #expect(
            raised.receive(.query(client: client, ttl: 9, chunks: [3]), from: address(5)).sends
                == [Outgoing(.query(client: client, ttl: 8, chunks: [3]), to: address(1))])
        let one = PeerNode(address: address(3), neighbors: [address(1)], store: ChunkStore(), maxTTL: 1)
        let expired = one.receive(.query(client: client, ttl: 3, chunks: [3]), from: address(5))
        #expect(expired.outcome == .queryExpired)
        #expect(expired.ttlClampedTo == 1)
    }

    @Test("CHUNK_INFO and RESPONSE sent to a peer are dropped as unexpected")
    func unexpectedMessages() {
        #expect(peer.receive(.chunkInfo(chunks: [1]), from: client).outcome == .dropped(.unexpected(.chunkInfo)))
        let response = peer.receive(.response(chunk: 1, payload: ByteBuffer()), from: client)
        #expect(response.sends.isEmpty)
        #expect(response.outcome == .dropped(.unexpected(.response)))
    }
}
